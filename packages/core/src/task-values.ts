import { OutputInvalidError } from './errors.js';
import type { GraphRun } from './graph-run.js';
import type { AnyTask, Stage } from './task.js';

/** Positional dependency outputs, then the named ones as one object when the task has any. */
export function dependencyValues(run: GraphRun, task: AnyTask): unknown[] {
  const { graph } = run;
  const deps = task.depTasks;
  const values: unknown[] = new Array(deps.length);
  for (let i = 0; i < deps.length; i++) values[i] = (deps[i] as AnyTask).output?.value;
  if (task.hasNamedDeps) {
    const names = Object.keys(task.namedDeps);
    const named: Record<string, unknown> = {};
    for (const name of names) named[name] = graph.task(task.namedDeps[name] as string)?.output?.value;
    values.push(named);
  }
  return values;
}

/** Validates a new output against the task's schema; returns the parsed value. */
export function checkOutput(run: GraphRun, task: AnyTask, value: unknown): unknown {
  return task.schema ? checkOutputValue(task, run.taskPath(task), value) : value;
}

/** Validates `value` against the schema of the task at `taskPath`; throws OUTPUT_INVALID naming it. */
export function checkOutputValue(task: AnyTask, taskPath: readonly string[], value: unknown): unknown {
  if (!task.schema) return value;
  const parsed = task.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new OutputInvalidError(taskPath, `${issue?.message ?? 'invalid'}${at}`);
}

/** A stage computed now: its fingerprint is derived from current values when saved. */
export function setFresh(task: AnyTask, stage: Stage, version: string | undefined): void {
  if (task.fingerprints[stage] !== undefined) delete task.fingerprints[stage];
  if (version !== undefined) task.versions[stage] = version;
  else if (task.versions[stage] !== undefined) delete task.versions[stage];
}
