import { DEPTH_LIMIT } from './depth-limit.js';

/** JSON as stored in a trace. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The superjson annotations of a value that plain JSON cannot hold (Date, Map, Set, BigInt, undefined…). */
export type ValueMeta = { [key: string]: unknown };

/** A value as stored in a trace: plain JSON, plus superjson annotations only when JSON alone cannot hold it. */
export interface EncodedValue {
  json: JsonValue | undefined;
  meta?: ValueMeta;
}

/**
 * One stored value of a task (a graph input, a prompt, a response, an output): the live value, its stored
 * form and the hash of that form. The memo layer implements it (`ValueSlot`), deriving each form on demand.
 */
export interface StoredValue {
  readonly value: unknown;
  readonly encoded: EncodedValue;
  readonly hash: string;
}

/**
 * Whether `value` survives JSON.stringify/JSON.parse unchanged (then it is stored as it is). A value
 * nested deeper than DEPTH_LIMIT (or containing itself) is not: the walk stops there.
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth >= DEPTH_LIMIT) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value)
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
