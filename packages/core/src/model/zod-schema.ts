import { type ZodType, z } from 'zod';
import { TaskGraphError } from './errors.js';

/** Whether `value` is a zod 4 schema, from the zod that core uses or another copy of zod 4. */
export function isZodSchema(value: unknown): value is ZodType {
  if (value instanceof z.ZodType) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** Whether `value` is a zod 3 schema (a `_def` and `safeParse`, no zod 4 internals). */
export function isZod3Schema(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('_zod' in value) &&
    '_def' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** The error for a zod 3 schema given where a zod 4 one is needed; `where` names the API and field. */
export function zod3SchemaError(where: string): TaskGraphError {
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} is a zod 3 schema; taskgraph needs zod 4. Install zod@4 and import { z } from "zod" (with zod 3.25, from "zod/v4").`,
  );
}
