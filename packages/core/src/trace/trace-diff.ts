import { canonicalJson } from '../memo/hash.js';
import type { StoredValue } from '../model/json-value.js';
import type { Stage, Task } from '../model/task.js';
import { TaskGraphBase } from '../model/task-graph-base.js';
import { readTrace } from './trace-read.js';
import { definitionKey } from './trace-write.js';

export type DiffField = 'definition' | 'status' | 'input' | 'prompt' | 'response' | 'output' | 'error';

export interface FieldDiff {
  field: DiffField;
  /** The values as stored (plain JSON), absent when the field was absent. */
  before?: unknown;
  after?: unknown;
}

export interface TaskDiff {
  taskPath: string[];
  change: 'added' | 'removed' | 'changed';
  fields: FieldDiff[];
}

export interface TraceDiff {
  /** True when nothing differs (timings and attempts are not compared). */
  same: boolean;
  /** The root graph input differs. */
  input?: FieldDiff;
  /** Every task that differs, in topological order (nested tasks after their GraphTask). */
  tasks: TaskDiff[];
  /** The first task in topological order that differs: where the two runs part ways. */
  firstDivergence: string[] | undefined;
}

/**
 * What differs between two traces (documents or loaded graphs), task by task: definition, status, a
 * GraphTask's input, prompt, response, output, error. Timings, attempts and fingerprints are not compared.
 */
export function diffTraces(a: unknown, b: unknown): TraceDiff {
  const before = asGraph(a);
  const after = asGraph(b);
  const tasks: TaskDiff[] = [];
  diffGraphs(before, after, [], tasks);
  const input = slotDiff('input', before.inputSlot, after.inputSlot);
  return {
    same: tasks.length === 0 && !input,
    ...(input ? { input } : {}),
    tasks,
    firstDivergence: firstDivergence(tasks),
  };
}

function asGraph(trace: unknown): TaskGraphBase {
  return trace instanceof TaskGraphBase ? trace : readTrace(trace);
}

function diffGraphs(a: TaskGraphBase, b: TaskGraphBase, path: string[], out: TaskDiff[]): void {
  const seen = new Set<string>();
  for (const id of b.topologicalOrder()) {
    seen.add(id);
    const taskPath = [...path, id];
    const after = b.task(id) as Task;
    const before = a.task(id);
    if (!before) {
      out.push({ taskPath, change: 'added', fields: [] });
      continue;
    }
    const fields = diffTask(before, after);
    if (fields.length > 0) out.push({ taskPath, change: 'changed', fields });
    const nestedBefore = before.descriptor.nested?.graph(before);
    const nestedAfter = after.descriptor.nested?.graph(after);
    if (nestedBefore && nestedAfter) diffGraphs(nestedBefore, nestedAfter, taskPath, out);
  }
  for (const id of a.topologicalOrder()) {
    if (!seen.has(id)) out.push({ taskPath: [...path, id], change: 'removed', fields: [] });
  }
}

function diffTask(a: Task, b: Task): FieldDiff[] {
  const fields: FieldDiff[] = [];
  if (definitionKey(a) !== definitionKey(b)) fields.push({ field: 'definition' });
  if (a.status !== b.status) fields.push({ field: 'status', before: a.status, after: b.status });
  const stagesA = a.stages();
  const stagesB = b.stages();
  for (const stage of ['input', 'prompt', 'response', 'output'] as const satisfies readonly Stage[]) {
    const diff = slotDiff(stage, stagesA[stage], stagesB[stage]);
    if (diff) fields.push(diff);
  }
  // A value that is not a stage of the kind (a GraphTask's output: its nested graph's) is compared too.
  if (!stagesA.output && !stagesB.output) {
    const output = slotDiff('output', a.output, b.output);
    if (output) fields.push(output);
  }
  const errorA = a.error ? canonicalJson({ name: a.error.name, message: a.error.message }) : undefined;
  const errorB = b.error ? canonicalJson({ name: b.error.name, message: b.error.message }) : undefined;
  if (errorA !== errorB) fields.push(withValues('error', a.error, b.error));
  return fields;
}

function slotDiff(
  field: DiffField,
  a: StoredValue | undefined,
  b: StoredValue | undefined,
): FieldDiff | undefined {
  if (a?.hash === b?.hash) return undefined;
  return withValues(field, a?.encoded.json, b?.encoded.json);
}

function withValues(field: DiffField, before: unknown, after: unknown): FieldDiff {
  const diff: FieldDiff = { field };
  if (before !== undefined) diff.before = before;
  if (after !== undefined) diff.after = after;
  return diff;
}

/**
 * The first task that differs, in topological order: a GraphTask that differs only because its nested
 * graph does gives way to the first nested task that differs.
 */
function firstDivergence(tasks: readonly TaskDiff[]): string[] | undefined {
  let first = tasks[0];
  for (const next of tasks.slice(1)) {
    const nested =
      first &&
      next.taskPath.length > first.taskPath.length &&
      first.taskPath.every((id, i) => next.taskPath[i] === id);
    const onlyNested = first?.fields.every((field) => field.field === 'output' || field.field === 'status');
    if (!first || !nested || !onlyNested) break;
    first = next;
  }
  return first?.taskPath;
}
