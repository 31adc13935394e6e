import { FunctionTask } from '../model/kinds/function-kind.js';
import type { Task } from '../model/task.js';
import { roundFileMs } from './compact-record.js';
import { roundRecordMs } from './trace-write.js';

/**
 * The version 2 file line of a common function task, made straight from the task: the same text as
 * `recordText(compactRecord(writeTask(task), origin))` without the two records in between. Common: done
 * in one attempt, from a function without retries, timeout, version or schema, reading no graph input,
 * with no named dependencies or creator, an output without annotations and only its output fingerprint.
 * Undefined for any other task, which goes the general way.
 */
export function commonRecordLine(task: Task, origin: number): string | undefined {
  if (
    !(task instanceof FunctionTask) ||
    task.status !== 'done' ||
    task.attempts !== 1 ||
    task.readsInput ||
    task.error !== undefined ||
    task.createdBy !== undefined ||
    task.hasNamedDeps ||
    task.schemaJson !== undefined ||
    task.startedAt === undefined ||
    task.attemptsPolicy.retries !== undefined ||
    task.attemptsPolicy.timeoutMs !== undefined ||
    hasKeys(task.versions)
  ) {
    return undefined;
  }
  const fp = onlyOutput(task.fingerprints);
  if (fp === undefined) return undefined;
  const encoded = task.output?.encoded;
  if (encoded?.meta) return undefined;
  let line = `{"id":${JSON.stringify(task.id)},"fn":${JSON.stringify(task.fn)}`;
  if (task.deps.length > 0) line += `,"deps":${JSON.stringify(task.deps)}`;
  if (task.args !== undefined) line += `,"args":${JSON.stringify(task.args)}`;
  // The two roundings a saved time goes through: the record's (writeTask), then the file's (compactRecord).
  line += `,"at":${roundFileMs(roundRecordMs(task.startedAt) - origin)}`;
  const ms = task.durationMs === undefined ? 0 : roundFileMs(roundRecordMs(task.durationMs));
  if (ms !== 0) line += `,"ms":${ms}`;
  if (encoded !== undefined && encoded.json !== undefined)
    line += `,"output":${JSON.stringify(encoded.json)}`;
  return `${line},"fp":${JSON.stringify(fp)}}`;
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
