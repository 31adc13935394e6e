import { OutputInvalidError } from './errors.js';
import type { Task } from './task.js';

/** Validates `value` against the schema of the task at `taskPath`; throws OUTPUT_INVALID naming it. */
export function checkOutputValue(task: Task, taskPath: readonly string[], value: unknown): unknown {
  if (!task.schema) return value;
  const parsed = task.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new OutputInvalidError(taskPath, `${issue?.message ?? 'invalid'}${at}`);
}
