import { TRACE_FILE_VERSION } from './trace-file-schema.js';
import { statusSchema } from './trace-schema.js';

const STATUSES = new Set<string>(statusSchema.options);

/**
 * Whether `record` is a function task record of the common shape (id, fn, deps, status, attempts,
 * timings, output, args, an output fingerprint) that the record schema of `version` certainly accepts:
 * such a record skips the zod schema, which a trace of a million tasks would otherwise run a million
 * times. Anything else (another kind, other fields, a wrong type) answers false and goes through the
 * schema, which says what is wrong and where. Fields the schema does not know are ignored by both.
 */
export function isCommonFunctionRecord(record: unknown, version: number): boolean {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return false;
  const r = record as Record<string, unknown>;
  if (!nonEmpty(r.id) || !nonEmpty(r.fn)) return false;
  if (
    r.namedDeps !== undefined ||
    r.createdBy !== undefined ||
    r.schema !== undefined ||
    r.versions !== undefined ||
    r.error !== undefined ||
    r.meta !== undefined ||
    r.retries !== undefined ||
    r.timeoutMs !== undefined
  ) {
    return false;
  }
  const deps = r.deps;
  if (deps !== undefined) {
    if (!Array.isArray(deps)) return false;
    for (const dep of deps) if (!nonEmpty(dep)) return false;
  }
  if (r.readsInput !== undefined && typeof r.readsInput !== 'boolean') return false;
  const attempts = r.attempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && (attempts as number) >= 0)) return false;
  if (version >= TRACE_FILE_VERSION) {
    if (r.kind !== undefined && r.kind !== 'function') return false;
    if (r.status !== undefined && !STATUSES.has(r.status as string)) return false;
    if (r.at !== undefined && !Number.isFinite(r.at)) return false;
    if (r.ms !== undefined && !nonNegative(r.ms)) return false;
    return r.fp === undefined || typeof r.fp === 'string';
  }
  if (r.kind !== 'function' || !STATUSES.has(r.status as string)) return false;
  if (r.startedAt !== undefined && !Number.isFinite(r.startedAt)) return false;
  if (r.durationMs !== undefined && !nonNegative(r.durationMs)) return false;
  const fingerprints = r.fingerprints;
  if (fingerprints === undefined) return true;
  if (fingerprints === null || typeof fingerprints !== 'object') return false;
  let count = 0;
  for (const key in fingerprints) {
    if (key !== 'output') return false;
    count++;
  }
  return count === 1 && typeof (fingerprints as { output?: unknown }).output === 'string';
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function nonNegative(value: unknown): boolean {
  return Number.isFinite(value) && (value as number) >= 0;
}
