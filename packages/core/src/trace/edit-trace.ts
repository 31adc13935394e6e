import { sealFingerprints } from '../memo/fingerprints.js';
import { ValueSlot } from '../memo/value-slot.js';
import { findValueProblem, pathSuffix } from '../model/depth-limit.js';
import { TaskGraphError } from '../model/errors.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { PlanOptions, ReplayPlan } from './replay-plan.js';
import { planReplay } from './replay-plan.js';

/** What an edit changes: a task's prompt, response, question, answer or output, a GraphTask's input, or the graph input. */
export type EditField = 'prompt' | 'response' | 'output' | 'input' | 'question' | 'answer';

export interface TraceEdit {
  /** The task: an id of the root graph or a path into nested graphs. Omit it to edit the graph input. */
  task?: string | readonly string[];
  field: EditField;
  value: unknown;
}

/**
 * Sets a value in a graph's stored state, as an edit of the trace would, after checking it (the task's
 * schema for an output, the message shape for a prompt or response). The value keeps the task's stored
 * fingerprints, so the replay reuses it and re-runs exactly what depends on it. Returns the plan of the
 * replay when a registry is given.
 */
export function editTrace(
  graph: TaskGraphBase,
  edit: TraceEdit,
  registry?: FunctionRegistry,
  options: PlanOptions = {},
): ReplayPlan | undefined {
  if (graph.running) {
    throw new TaskGraphError(
      'RUN_IN_PROGRESS',
      'editTrace: the graph is running. Edit it once the run has settled.',
    );
  }
  const path = edit.task === undefined ? [] : typeof edit.task === 'string' ? [edit.task] : [...edit.task];
  const problem = findValueProblem(edit.value, { collections: true });
  if (problem)
    throw invalid(
      `the value cannot be stored: ${problem.problem} (at value${pathSuffix(problem.path)})`,
      path,
    );
  sealFingerprints(graph);
  if (path.length === 0) {
    if (edit.field !== 'input')
      throw invalid(`a ${edit.field} belongs to a task: name the task to edit`, path);
    graph.inputSlot = ValueSlot.of(edit.value);
  } else {
    applyToTask(findTask(graph, path), edit.field, edit.value, path);
  }
  return registry ? planReplay(graph, registry, options) : undefined;
}

function applyToTask(task: Task, field: EditField, value: unknown, path: string[]): void {
  const stage = task.descriptor.stages.find((def) => def.stage === field && def.edit);
  if (!stage?.edit) {
    const editable = task.descriptor.stages.filter((def) => def.edit).map((def) => def.stage);
    throw invalid(
      `a ${task.kind} task has no editable "${String(field)}" (it has: ${editable.join(', ') || 'none'})`,
      path,
    );
  }
  stage.put(task, ValueSlot.of(stage.edit(task, value, path)));
  if (field === 'output') {
    task.status = 'done';
    task.error = undefined;
  }
}

/** The task at `path` (ids from the root graph through nested graphs); throws naming the closest ids. */
export function findTask(graph: TaskGraphBase, path: readonly string[]): Task {
  let current = graph;
  let task: Task | undefined;
  for (let i = 0; i < path.length; i++) {
    const id = path[i] as string;
    task = current.task(id);
    if (!task) {
      const known = [...current.tasks()].map((t) => t.id);
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `editTrace: no task "${path.slice(0, i + 1).join(' > ')}". Tasks there: ${closest(id, known).join(', ') || '(none)'}.`,
        { taskPath: path },
      );
    }
    if (i < path.length - 1) {
      const nested = task.descriptor.nested?.graph(task);
      if (!nested) throw invalid(`"${id}" is not a GraphTask, so it has no nested tasks`, path);
      current = nested;
    }
  }
  return task as Task;
}

/** Up to five ids, the closest to `id` first (by edit distance). */
export function closest(id: string, ids: readonly string[]): string[] {
  // One distance per id and a running top five: linear in the number of ids, however many there are.
  const best: { id: string; d: number }[] = [];
  for (const candidate of ids) {
    const d = distance(id, candidate);
    if (best.length === 5 && d >= (best[4] as { d: number }).d) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { d: number }).d > d) at--;
    best.splice(at, 0, { id: candidate, d });
    if (best.length > 5) best.pop();
  }
  return best.map((entry) => entry.id);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

function invalid(problem: string, path: readonly string[]): TaskGraphError {
  const where = path.length > 0 ? ` (task "${path.join(' > ')}")` : '';
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `editTrace: ${problem}${where}.`,
    path.length > 0 ? { taskPath: path } : {},
  );
}
