import { TaskGraphError } from './errors.js';
import { sealFingerprints } from './memo.js';
import type { FunctionRegistry } from './registry.js';
import type { PlanOptions, ReplayPlan } from './replay-plan.js';
import { planReplay } from './replay-plan.js';
import type { AnyTask } from './task.js';
import type { TaskGraph } from './task-graph.js';
import { checkOutputValue } from './task-values.js';
import { ValueSlot } from './value-slot.js';

/** What an edit changes: a task's prompt, response or output, a GraphTask's input, or the graph input. */
export type EditField = 'prompt' | 'response' | 'output' | 'input';

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
  graph: TaskGraph,
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
  sealFingerprints(graph);
  const path = edit.task === undefined ? [] : typeof edit.task === 'string' ? [edit.task] : [...edit.task];
  if (path.length === 0) {
    if (edit.field !== 'input')
      throw invalid(`a ${edit.field} belongs to a task: name the task to edit`, path);
    graph.inputSlot = ValueSlot.of(edit.value);
  } else {
    applyToTask(findTask(graph, path), edit.field, edit.value, path);
  }
  return registry ? planReplay(graph, registry, options) : undefined;
}

function applyToTask(task: AnyTask, field: EditField, value: unknown, path: string[]): void {
  switch (field) {
    case 'output':
      if (task.kind === 'graph')
        throw invalid("a GraphTask's output is its nested graph's output: edit that task's output", path);
      task.output = ValueSlot.of(checkOutputValue(task, path, value));
      if (task.status !== 'done') task.status = 'done';
      task.error = undefined;
      return;
    case 'prompt':
      if (task.kind !== 'llm')
        throw invalid(`only LLM tasks have a prompt ("${task.id}" is a ${task.kind} task)`, path);
      if (typeof value !== 'string' && !isMessageList(value)) {
        throw invalid('a prompt is a string or a list of messages ({ role, content })', path);
      }
      task.prompt = ValueSlot.of(value);
      return;
    case 'response':
      if (task.kind !== 'llm')
        throw invalid(`only LLM tasks have a response ("${task.id}" is a ${task.kind} task)`, path);
      task.response = ValueSlot.of(toAssistantMessage(value, path));
      return;
    case 'input':
      if (task.kind !== 'graph')
        throw invalid(`only GraphTasks have an input ("${task.id}" is a ${task.kind} task)`, path);
      task.graph.inputSlot = ValueSlot.of(value);
      return;
    default:
      throw invalid(`unknown field "${String(field)}"; use prompt, response, output or input`, path);
  }
}

/** The task at `path` (ids from the root graph through nested graphs); throws naming the closest ids. */
export function findTask(graph: TaskGraph, path: readonly string[]): AnyTask {
  let current = graph;
  let task: AnyTask | undefined;
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
      if (task.kind !== 'graph') throw invalid(`"${id}" is not a GraphTask, so it has no nested tasks`, path);
      current = task.graph;
    }
  }
  return task as AnyTask;
}

/** Up to five ids, the closest to `id` first (by edit distance). */
export function closest(id: string, ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => distance(id, a) - distance(id, b)).slice(0, 5);
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

function isMessageList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (m) =>
        m &&
        typeof m === 'object' &&
        typeof m.role === 'string' &&
        (typeof m.content === 'string' || m.content === null),
    )
  );
}

function toAssistantMessage(value: unknown, path: string[]): unknown {
  if (typeof value === 'string') return { role: 'assistant', content: value };
  const message = value as { role?: unknown; content?: unknown } | null;
  if (
    message &&
    typeof message === 'object' &&
    message.role === 'assistant' &&
    (typeof message.content === 'string' || message.content === null)
  ) {
    return value;
  }
  throw invalid('a response is the reply text or an assistant message { role: "assistant", content }', path);
}

function invalid(problem: string, path: readonly string[]): TaskGraphError {
  const where = path.length > 0 ? ` (task "${path.join(' > ')}")` : '';
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `editTrace: ${problem}${where}.`,
    path.length > 0 ? { taskPath: path } : {},
  );
}
