import type { JsonValue } from '@taskgraph/core';
import type { ChainLog } from '../shared/hash-chain-log.js';
import { EMPTY_CHAIN } from '../shared/hash-chain-log.js';
import type { MergeMode } from './merge-objects.js';
import { mergeObjects } from './merge-objects.js';
import { normalizeTask } from './normalize-task.js';
import type { TaskEdit } from './planner-confirm.js';
import type { PlannerEvent } from './planner-events.js';
import { isCompleted } from './planner-history.js';
import type { PlannedTask, RefinePatch } from './planner-schemas.js';
import { toPlannedTask } from './planner-schemas.js';

/**
 * running; complete (the goal is met); incomplete (no task left and the completion checks ran out);
 * max_tasks, max_steps (a bound was reached).
 */
export type PlannerStatus = 'running' | 'complete' | 'incomplete' | 'max_tasks' | 'max_steps';

/** A task that ran, with its result (the worker's reply, or the tool call's record). */
export interface CompletedTask {
  task: string;
  result: JsonValue;
}

/** What one state added to the run's lists, in the order it added them (an absent key: nothing). */
export interface PlannerAdditions {
  /** Tasks that ran, with their results (the first state: the completed tasks a resumed run starts from). */
  completed?: CompletedTask[];
  /** Tasks dropped before they ran. */
  cancelled?: string[];
  /** New tasks the no-repeat rule kept out. */
  skipped?: string[];
  /** Tasks a confirmation skipped. */
  declined?: string[];
  /** Tasks a confirmation replaced, with what ran instead. */
  edits?: TaskEdit[];
}

/** The lists of a run up to a state: every state's `added`, in order. */
export interface PlannerLists {
  completed: CompletedTask[];
  cancelled: string[];
  skipped: string[];
  declined: string[];
  edits: TaskEdit[];
}

/**
 * The planner's state after a step: the output of every step task (and confirmation gate), so the trace
 * holds every version. It stores what the step added to the run's lists (`added`) and a hash chain over
 * what the states before it added (`log`), never the whole lists, so a step costs the same at step 10 and
 * at step 10,000; plannerStateAt and the run's result rebuild the lists. Nothing in it is shared between
 * steps or planners; each step returns a new one.
 */
export interface PlannerState {
  /** The step that produced this state (0 before the first). */
  step: number;
  status: PlannerStatus;
  pending: PlannedTask[];
  /** The task this step started, whose refine comes next. */
  current?: PlannedTask;
  /** Facts later tasks need (the seed's stored_info). */
  storedInfo: Record<string, JsonValue>;
  finalResult: Record<string, JsonValue>;
  /** What the states before this one added to the lists: how many states, and a hash chain over them. */
  log: ChainLog;
  /** What this state added to the lists. */
  added: PlannerAdditions;
  tasksRun: number;
  completionChecks: number;
  /** What this step did. */
  events: PlannerEvent[];
}

/** A state with the whole lists of its run, as plannerStateAt gives it. */
export type PlannerStateWithLists = PlannerState & PlannerLists;

/** The state before the first step: the given tasks, and what a resumed run starts from (default empty). */
export function initialPlannerState(
  tasks: readonly PlannedTask[] = [],
  from: Partial<Pick<PlannerState, 'storedInfo' | 'finalResult'> & Pick<PlannerLists, 'completed'>> = {},
): PlannerState {
  const completed = from.completed ?? [];
  return {
    step: 0,
    status: 'running',
    pending: [...tasks],
    storedInfo: { ...from.storedInfo },
    finalResult: { ...from.finalResult },
    log: EMPTY_CHAIN,
    added: completed.length > 0 ? { completed: [...completed] } : {},
    tasksRun: 0,
    completionChecks: 0,
    events: [],
  };
}

/** `state` with `items` appended to its additions under `key` (a new state; `state` is left as it is). */
export function addTo<K extends keyof PlannerAdditions>(
  state: PlannerState,
  key: K,
  items: NonNullable<PlannerAdditions[K]>,
): PlannerState {
  if (items.length === 0) return state;
  const before = (state.added[key] ?? []) as NonNullable<PlannerAdditions[K]>;
  return { ...state, added: { ...state.added, [key]: [...before, ...items] } };
}

export interface ApplyPatchOptions {
  merge: MergeMode;
  /** When false, a new task whose text (trimmed, case and spacing ignored) matches a completed one is skipped. */
  allowRepeatTasks: boolean;
}

/**
 * The state after a refine or completion check patch (see refinePatchSchema for the order). Returns a
 * new state, with the events of what changed appended; `state` is left as it is. The no-repeat rule
 * reads the tasks completed before `state` from this process's index of the run (planner-history.ts).
 */
export function applyPatch(
  state: PlannerState,
  patch: RefinePatch,
  options: ApplyPatchOptions,
): PlannerState {
  const { step } = state;
  const events: PlannerEvent[] = [...state.events];
  const storedInfo = mergeObjects(state.storedInfo, patch.statePatch, options.merge);
  const finalResult = mergeObjects(state.finalResult, patch.resultPatch, options.merge);
  if (patch.thoughts) events.push({ type: 'thoughts', step, text: patch.thoughts });
  if (patch.statePatch && Object.keys(patch.statePatch).length > 0)
    events.push({ type: 'info_stored', step, keys: Object.keys(patch.statePatch) });
  if (patch.resultPatch && Object.keys(patch.resultPatch).length > 0)
    events.push({ type: 'result_updated', step, keys: Object.keys(patch.resultPatch) });
  const next = { ...state, storedInfo, finalResult, events };

  const incoming = [...(patch.replacePending ?? []), ...(patch.addTasks ?? [])].map(toPlannedTask);
  if (patch.goalComplete) {
    const cancelled = [...state.pending, ...incoming].map((t) => t.task);
    if (cancelled.length > 0) events.push({ type: 'tasks_cancelled', step, tasks: cancelled });
    events.push({ type: 'goal_complete', step });
    return addTo({ ...next, status: 'complete', pending: [] }, 'cancelled', cancelled);
  }

  const replaced = patch.replacePending?.map(toPlannedTask) ?? state.pending;
  const drop = new Set((patch.dropPending ?? []).map(normalizeTask));
  const kept = replaced.filter((t) => !drop.has(normalizeTask(t.task)));
  const candidates = [...kept, ...(patch.addTasks ?? []).map(toPlannedTask)];
  const wasPending = new Set(state.pending.map((t) => normalizeTask(t.task)));
  const skipped: string[] = [];
  const pending = candidates.filter((t) => {
    const key = normalizeTask(t.task);
    if (options.allowRepeatTasks || wasPending.has(key) || !isCompleted(state, key, 'applyPatch'))
      return true;
    skipped.push(t.task);
    return false;
  });
  const remaining = new Set(pending.map((t) => normalizeTask(t.task)));
  const cancelled = state.pending.map((t) => t.task).filter((task) => !remaining.has(normalizeTask(task)));
  const added = pending.map((t) => t.task).filter((task) => !wasPending.has(normalizeTask(task)));
  if (added.length > 0) events.push({ type: 'tasks_added', step, tasks: added });
  if (cancelled.length > 0) events.push({ type: 'tasks_cancelled', step, tasks: cancelled });
  if (skipped.length > 0) events.push({ type: 'tasks_skipped', step, tasks: skipped });
  return addTo(addTo({ ...next, pending }, 'cancelled', cancelled), 'skipped', skipped);
}
