import stringify from 'safe-stable-stringify';
import type { SuperJSONResult } from 'superjson';
import SuperJSON from 'superjson';
import { DEPTH_LIMIT, findValueProblem, pathSuffix } from '../model/depth-limit.js';
import type { EncodedValue, JsonValue, ValueMeta } from '../model/json-value.js';
import { isPlainJson } from '../model/json-value.js';

export type { EncodedValue, JsonValue, ValueMeta };
export { isPlainJson };

/**
 * superjson, plus an invalid Date (`new Date(NaN)`), which superjson alone writes as null: kept as the
 * custom annotation "invalid-date" so that it reads back as an invalid Date.
 */
const codec = new SuperJSON();
codec.registerCustom<Date, string>(
  {
    isApplicable: (value): value is Date => value instanceof Date && Number.isNaN(value.getTime()),
    serialize: () => 'Invalid Date',
    deserialize: () => new Date(Number.NaN),
  },
  'invalid-date',
);

/**
 * A value as stored: plain JSON when JSON holds it, else superjson's JSON and annotations. A value that
 * cannot be stored as it is (a function or a symbol in it, nested deeper than DEPTH_LIMIT, or one
 * superjson refuses) is stored as the JSON closest to it, marked `{ lossy: "why" }`, so the trace that
 * holds it is never lost and always reads back.
 */
export function encodeValue(value: unknown): EncodedValue {
  if (isPlainJson(value)) return { json: value as JsonValue };
  // superjson keeps cycles (as references) and walks Maps and Sets; it drops functions and symbols silently.
  const problem = findValueProblem(value, { cycles: false, collections: true });
  if (problem) return lossy(value, `${problem.problem} (at value${pathSuffix(problem.path)})`);
  try {
    const { json, meta } = codec.serialize(value as Parameters<typeof codec.serialize>[0]);
    return meta ? { json: json as JsonValue, meta: meta as ValueMeta } : { json: json as JsonValue };
  } catch (error) {
    // superjson refuses some values (a "prototype" or "constructor" key beside a Date…).
    return lossy(value, (error as Error).message);
  }
}

function lossy(value: unknown, why: string): EncodedValue {
  return { json: toLossyJson(value), meta: { lossy: why } as unknown as ValueMeta };
}

const lossyText = stringify.configure({
  circularValue: '[Circular]',
  maximumDepth: DEPTH_LIMIT - 1,
  bigint: true,
  deterministic: false,
});

/**
 * JSON.stringify's view of a value, with BigInts as strings, Maps as objects, Sets as arrays, functions
 * and symbols as their descriptions, cycles as "[Circular]" and what lies past the depth limit as
 * "[Object]" / "[Array]".
 */
function toLossyJson(value: unknown): JsonValue {
  const text = lossyText(value, (_key, v: unknown) => {
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof Set) return [...v];
    if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`;
    if (typeof v === 'symbol') return v.toString();
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

export function decodeValue(encoded: EncodedValue): unknown {
  if (!encoded.meta || 'lossy' in encoded.meta) return encoded.json;
  return codec.deserialize({
    json: encoded.json as SuperJSONResult['json'],
    meta: encoded.meta as NonNullable<SuperJSONResult['meta']>,
  });
}
