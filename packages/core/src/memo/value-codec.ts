import type { SuperJSONResult } from 'superjson';
import { deserialize, serialize } from 'superjson';
import type { EncodedValue, JsonValue, ValueMeta } from '../model/json-value.js';
import { isPlainJson } from '../model/json-value.js';

export type { EncodedValue, JsonValue, ValueMeta };
export { isPlainJson };

export function encodeValue(value: unknown): EncodedValue {
  if (isPlainJson(value)) return { json: value as JsonValue };
  try {
    const { json, meta } = serialize(value as Parameters<typeof serialize>[0]);
    return meta ? { json: json as JsonValue, meta: meta as ValueMeta } : { json: json as JsonValue };
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
  return deserialize({
    json: encoded.json as SuperJSONResult['json'],
    meta: encoded.meta as NonNullable<SuperJSONResult['meta']>,
  });
}
