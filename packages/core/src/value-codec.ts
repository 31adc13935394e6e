import type { SuperJSONResult } from 'superjson';
import { deserialize, serialize } from 'superjson';

/** JSON as stored in a trace. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The superjson annotations of a value that plain JSON cannot hold (Date, Map, Set, BigInt, undefined…). */
export type ValueMeta = NonNullable<SuperJSONResult['meta']>;

/** A value as stored in a trace: plain JSON, plus superjson annotations only when JSON alone cannot hold it. */
export interface EncodedValue {
  json: JsonValue | undefined;
  meta?: ValueMeta;
}

/** Whether `value` survives JSON.stringify/JSON.parse unchanged (then it is stored as it is). */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

export function encodeValue(value: unknown): EncodedValue {
  if (isPlainJson(value)) return { json: value as JsonValue };
  try {
    const { json, meta } = serialize(value as Parameters<typeof serialize>[0]);
    return meta ? { json: json as JsonValue, meta } : { json: json as JsonValue };
  } catch (error) {
    // superjson refuses some values (a "prototype" or "constructor" key beside a Date…). The value is
    // then stored as the JSON closest to it, marked lossy, rather than lost with the trace.
    return { json: toLossyJson(value), meta: { lossy: (error as Error).message } as unknown as ValueMeta };
  }
}

/** JSON.stringify's view of a value, with BigInts as strings, Maps as objects and Sets as arrays. */
function toLossyJson(value: unknown): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      return v;
    });
  } catch {
    // A value JSON cannot walk at all (a cycle): only its description survives.
    return String(value);
  }
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

export function decodeValue(encoded: EncodedValue): unknown {
  if (!encoded.meta || 'lossy' in encoded.meta) return encoded.json;
  return deserialize({ json: encoded.json as SuperJSONResult['json'], meta: encoded.meta });
}
