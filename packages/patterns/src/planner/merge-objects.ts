import type { JsonValue } from '@taskgraph/core';

type JsonObject = Record<string, JsonValue>;

/** How a patch is merged into stored info or the final result. */
export type MergeMode = 'shallow' | 'deep';

/**
 * `base` with `patch` merged in, as a new object (neither argument changes). Shallow: each key of the
 * patch replaces the key of the base. Deep: objects found under the same key on both sides are merged
 * the same way, level by level; arrays and other values replace.
 */
export function mergeObjects(base: JsonObject, patch: JsonObject | undefined, mode: MergeMode): JsonObject {
  if (patch === undefined) return base;
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] =
      mode === 'deep' && isObject(current) && isObject(value) ? mergeObjects(current, value, mode) : value;
  }
  return merged;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
