import { FunctionTask } from '../model/kinds/function-kind.js';
import type { Task } from '../model/task.js';
import { compactRecord, roundFileMs } from './compact-record.js';
import { roundRecordMs, writeTask } from './trace-write.js';

/**
 * A task's line in a trace file, as one line of JSON text (what a TraceStore records): a common task's
 * straight from it, any other's through its record; a graph task's nested tasks are left out unless
 * `nested`. Times in ms after `origin`.
 */
export function taskLine(task: Task, origin: number, nested: boolean): string {
  return commonRecordLine(task, origin) ?? JSON.stringify(compactRecord(writeTask(task, nested), origin));
}

/**
 * The version 2 file line of a common function task, made straight from the task: the same text as
 * `recordText(compactRecord(writeTask(task), origin))` without the two records in between. Common: from a
 * function without retries, timeout, version or schema, reading no graph input, with no named
 * dependencies or creator, and either never run (pending, nothing stored) or done in one attempt with an
 * output without annotations and only its output fingerprint. Undefined for any other task, which goes
 * the general way.
 */
export function commonRecordLine(task: Task, origin: number): string | undefined {
  if (
    !(task instanceof FunctionTask) ||
    task.readsInput ||
    task.error !== undefined ||
    task.createdBy !== undefined ||
    task.hasNamedDeps ||
    task.schemaJson !== undefined ||
    task.attemptsPolicy.retries !== undefined ||
    task.attemptsPolicy.timeoutMs !== undefined ||
    hasKeys(task.versions)
  ) {
    return undefined;
  }
  if (task.status === 'pending')
    return neverRun(task) ? `${definitionLine(task)},"status":"pending"}` : undefined;
  if (task.status !== 'done' || task.attempts !== 1 || task.startedAt === undefined) return undefined;
  const fp = onlyOutput(task.fingerprints);
  if (fp === undefined) return undefined;
  const encoded = task.output?.encoded;
  if (encoded?.meta) return undefined;
  let line = definitionLine(task);
  // The two roundings a saved time goes through: the record's (writeTask), then the file's (compactRecord).
  line += `,"at":${roundFileMs(roundRecordMs(task.startedAt) - origin)}`;
  const ms = task.durationMs === undefined ? 0 : roundFileMs(roundRecordMs(task.durationMs));
  if (ms !== 0) line += `,"ms":${ms}`;
  if (encoded !== undefined && encoded.json !== undefined)
    line += `,"output":${JSON.stringify(encoded.json)}`;
  return `${line},"fp":${JSON.stringify(fp)}}`;
}

/** The line's opening: what defines the task, not yet closed. */
function definitionLine(task: FunctionTask): string {
  let line = `{"id":${JSON.stringify(task.id)},"fn":${JSON.stringify(task.fn)}`;
  if (task.deps.length > 0) line += `,"deps":${JSON.stringify(task.deps)}`;
  if (task.args !== undefined) line += `,"args":${JSON.stringify(task.args)}`;
  return line;
}

/** A pending task that holds nothing of a run: no attempt, time, value or fingerprint. */
function neverRun(task: FunctionTask): boolean {
  return (
    task.attempts === 0 &&
    task.startedAt === undefined &&
    task.durationMs === undefined &&
    task.output === undefined &&
    !hasKeys(task.fingerprints)
  );
}

function hasKeys(record: object): boolean {
  for (const _key in record) return true;
  return false;
}

/** The output fingerprint when it is the only one; undefined otherwise. */
function onlyOutput(fingerprints: Readonly<Record<string, string | undefined>>): string | undefined {
  let output: string | undefined;
  for (const key in fingerprints) {
    if (key !== 'output') return undefined;
    output = fingerprints[key];
  }
  return output;
}
