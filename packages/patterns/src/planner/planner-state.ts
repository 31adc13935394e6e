import type { JsonValue } from '@taskgraph/core';
import type { MergeMode } from './merge-objects.js';
import { mergeObjects } from './merge-objects.js';
import type { TaskEdit } from './planner-confirm.js';
import type { PlannerEvent } from './planner-events.js';
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

/**
 * The planner's state after a step: the output of every step task, so the trace holds every version.
 * Nothing in it is shared between steps or planners; each step returns a new one.
 */
export interface PlannerState {
  /** The step that produced this state (0 before the first). */
  step: number;
  status: PlannerStatus;
  pending: PlannedTask[];
  /** The task this step started, whose refine comes next. */
  current?: PlannedTask;
  completed: CompletedTask[];
  /** Facts later tasks need (the seed's stored_info). */
  storedInfo: Record<string, JsonValue>;
  finalResult: Record<string, JsonValue>;
  /** Tasks dropped before they ran, and tasks the no-repeat rule kept out. */
  cancelled: string[];
  skipped: string[];
  /** Tasks a confirmation skipped (absent until one is). */
  declined?: string[];
  /** Tasks a confirmation replaced, with what ran instead (absent until one is). */
  edits?: TaskEdit[];
  tasksRun: number;
  completionChecks: number;
  /** What this step did. */
  events: PlannerEvent[];
}

/** The state before the first step: the given tasks, and what a resumed run starts from (default empty). */
export function initialPlannerState(
  tasks: readonly PlannedTask[] = [],
  from: Partial<Pick<PlannerState, 'storedInfo' | 'finalResult' | 'completed'>> = {},
): PlannerState {
  return {
    step: 0,
    status: 'running',
    pending: [...tasks],
    completed: [...(from.completed ?? [])],
    storedInfo: { ...from.storedInfo },
    finalResult: { ...from.finalResult },
    cancelled: [],
    skipped: [],
    tasksRun: 0,
    completionChecks: 0,
    events: [],
  };
}

export interface ApplyPatchOptions {
  merge: MergeMode;
  /** When false, a new task whose text (trimmed, case and spacing ignored) matches a completed one is skipped. */
  allowRepeatTasks: boolean;
}

/** Task text compared for the no-repeat rule: trimmed, lower case, runs of spaces as one. */
export const normalizeTask = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The state after a refine or completion check patch (see refinePatchSchema for the order). Returns a
 * new state, with the events of what changed appended; `state` is left as it is.
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
    return { ...next, status: 'complete', pending: [], cancelled: [...state.cancelled, ...cancelled] };
  }

  const replaced = patch.replacePending?.map(toPlannedTask) ?? state.pending;
  const drop = new Set((patch.dropPending ?? []).map(normalizeTask));
  const kept = replaced.filter((t) => !drop.has(normalizeTask(t.task)));
  const candidates = [...kept, ...(patch.addTasks ?? []).map(toPlannedTask)];
  const wasPending = new Set(state.pending.map((t) => normalizeTask(t.task)));
  const done = new Set(state.completed.map((t) => normalizeTask(t.task)));
  const skipped: string[] = [];
  const pending = candidates.filter((t) => {
    const key = normalizeTask(t.task);
    if (options.allowRepeatTasks || wasPending.has(key) || !done.has(key)) return true;
    skipped.push(t.task);
    return false;
  });
  const remaining = new Set(pending.map((t) => normalizeTask(t.task)));
  const cancelled = state.pending.map((t) => t.task).filter((task) => !remaining.has(normalizeTask(task)));
  const added = pending.map((t) => t.task).filter((task) => !wasPending.has(normalizeTask(task)));
  if (added.length > 0) events.push({ type: 'tasks_added', step, tasks: added });
  if (cancelled.length > 0) events.push({ type: 'tasks_cancelled', step, tasks: cancelled });
  if (skipped.length > 0) events.push({ type: 'tasks_skipped', step, tasks: skipped });
  return {
    ...next,
    pending,
    cancelled: [...state.cancelled, ...cancelled],
    skipped: [...state.skipped, ...skipped],
  };
}
