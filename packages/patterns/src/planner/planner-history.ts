import type { AnyTask, TaskGraphBase } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { PatternErrorCode } from '../pattern-error-codes.js';
import type { ChainLog } from '../shared/hash-chain-log.js';
import { HashChainLog } from '../shared/hash-chain-log.js';
import { normalizeTask } from './normalize-task.js';
import type { PlannerFunctionIds } from './planner-function-ids.js';
import type { PlannerAdditions, PlannerLists, PlannerState, PlannerStateWithLists } from './planner-state.js';

/**
 * The runs this process has seen: each state's `added`, chained by `log`, with the completed tasks'
 * normalized texts as keys for the no-repeat rule. Filled by the steps as they run and by a graph hook
 * (indexPlannerHistory) for graphs loaded, resumed or replayed.
 */
const history = new HashChainLog<PlannerAdditions>({
  keys: (added) => (added.completed ?? []).map((t) => normalizeTask(t.task)),
});

/**
 * A step needed the run's lists before a state (the no-repeat rule, the end, a worker told the completed
 * tasks), and the states of its graph do not lead to it: a state's stored `log` was edited, or the trace
 * lists a planner's steps out of order.
 */
export class UnknownPlannerHistoryError extends TaskGraphError<PatternErrorCode> {
  override readonly name = 'UnknownPlannerHistoryError';

  constructor(where: string, length: number) {
    super(
      'UNKNOWN_PLANNER_HISTORY',
      `${where}: what the ${length} states before this one added (completed, cancelled, skipped tasks…) does not follow from the steps before it in the graph. A state's \`log\` holds the count and a hash chain of them: restore the one that was edited (edit a state's \`added\` instead, or use overridePlannerState), and keep a planner's steps in the order they ran.`,
    );
  }
}

/** The log of the states up to `previous`, included: the `log` of the state that follows it. */
export function logAfter(previous: PlannerState): ChainLog {
  return history.extend(previous.log, [previous.added]);
}

/** Keeps the lists before `state` known in this process while `state` (a task's output) lives. */
export function holdHistory(state: PlannerState): PlannerState {
  history.hold(state.log, state);
  return state;
}

/** Whether a task with the normalized text `key` was completed up to `state`, included. O(1). */
export function isCompleted(state: PlannerState, key: string, where: string): boolean {
  if (state.added.completed?.some((t) => normalizeTask(t.task) === key)) return true;
  const known = history.has(state.log, key);
  if (known === undefined) throw new UnknownPlannerHistoryError(where, state.log.length);
  return known;
}

/** The lists of the run up to `state`, included, from this process's index; O(length). */
export function listsOf(state: PlannerState, where: string): PlannerLists {
  const before = history.items(state.log);
  if (before === undefined) throw new UnknownPlannerHistoryError(where, state.log.length);
  return joinLists([...before, state.added]);
}

/** `state` with the whole lists of its run (see listsOf). */
export function withLists(state: PlannerState, where: string): PlannerStateWithLists {
  return { ...state, ...listsOf(state, where) };
}

function joinLists(parts: readonly PlannerAdditions[]): PlannerLists {
  const lists: PlannerLists = { completed: [], cancelled: [], skipped: [], declined: [], edits: [] };
  for (const added of parts) {
    if (added.completed) lists.completed.push(...added.completed);
    if (added.cancelled) lists.cancelled.push(...added.cancelled);
    if (added.skipped) lists.skipped.push(...added.skipped);
    if (added.declined) lists.declined.push(...added.declined);
    if (added.edits) lists.edits.push(...added.edits);
  }
  return lists;
}

const isState = (value: unknown): value is PlannerState =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PlannerState).step === 'number' &&
  typeof (value as PlannerState).log?.hash === 'string' &&
  typeof (value as PlannerState).added === 'object';

/** The state a planner task output holds: a step's or gate's output, or the first task's `state`. */
function stateOf(value: unknown): PlannerState | undefined {
  if (isState(value)) return value;
  const start = (value as { state?: unknown } | null)?.state;
  return isState(start) ? start : undefined;
}

/**
 * The graph hook (FunctionRegistry.onGraphStart) of a planner: makes the runs of that planner in `graph`
 * known to this process, so that a step that runs again reads the lists before it. One pass over the
 * graph's tasks; a state already known costs one lookup.
 */
export function indexPlannerHistory(ids: PlannerFunctionIds): (graph: TaskGraphBase) => void {
  const stateFns = new Set([ids.start, ids.step, ids.gate]);
  return (graph) => {
    for (const task of graph.tasks()) {
      if (task.kind !== 'function' || !stateFns.has(task.fn)) continue;
      const state = stateOf(task.output?.value);
      if (state && !history.isIndexed(state)) history.extend(state.log, [state.added], state);
    }
  };
}

/**
 * The state of the planner task `taskId` (a step, a confirmation gate or the planner's first task) with
 * the whole lists of its run, rebuilt from the graph alone: each state's `added`, followed back through
 * the `state` it read to the first state (one whose `log` is empty). Undefined when that task holds no
 * state. Costs one pass over the run's steps.
 */
export function plannerStateAt(graph: TaskGraphBase, taskId: string): PlannerStateWithLists | undefined {
  const task = graph.task(taskId);
  const state = stateOf(task?.output?.value);
  if (!task || !state) return undefined;
  const parts: PlannerAdditions[] = [];
  let at: { state: PlannerState; deps: Readonly<Record<string, string>> } | undefined = {
    state,
    deps: task.namedDeps,
  };
  while (at) {
    parts.push(at.state.added);
    const previous: string | undefined =
      at.state.log.length > 0 ? (at.deps.state ?? at.deps.start) : undefined;
    const before: AnyTask | undefined = previous === undefined ? undefined : graph.task(previous);
    const found = stateOf(before?.output?.value);
    at = before && found ? { state: found, deps: before.namedDeps } : undefined;
  }
  return { ...state, ...joinLists(parts.reverse()) };
}
