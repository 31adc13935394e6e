import type { HumanQuestion } from '@taskgraph/core';
import { z } from 'zod';
import type { PlannedTask } from './planner-schemas.js';
import { plannedTaskSchema, toPlannedTask } from './planner-schemas.js';
import type { PlannerState } from './planner-state.js';
import { addTo } from './planner-state.js';

/**
 * The answer to a confirmation before a task: run it, skip it, or run an edited task in its place (the
 * original's "Continue? [Y]es/[n]o/[e]dit").
 */
export const confirmDecisionSchema = z.union([
  z.literal('run'),
  z.literal('skip'),
  z.strictObject({ edit: plannedTaskSchema }),
]);

export type ConfirmDecision = z.infer<typeof confirmDecisionSchema>;

/** The question of a confirmation task (JSON; `text` is for people). */
export interface ConfirmRequest {
  kind: 'planner.confirm';
  /** The planner's id. */
  planner: string;
  goal: string;
  step: number;
  task: PlannedTask;
  remainingTasks: string[];
  text: string;
}

/** Decides in this process before each task; its answer is stored as the confirmation task's answer. */
export type ConfirmHook = (request: ConfirmRequest) => ConfirmDecision | Promise<ConfirmDecision>;

/** A task the confirmation replaced, with the task that ran instead. */
export interface TaskEdit {
  step: number;
  original: PlannedTask;
  edited: PlannedTask;
}

export function confirmRequest(planner: string, goal: string, state: PlannerState): ConfirmRequest {
  const task = state.current as PlannedTask;
  const how = task.tool ? ` (tool ${task.tool})` : task.worker ? ` (worker ${task.worker})` : '';
  return {
    kind: 'planner.confirm',
    planner,
    goal,
    step: state.step,
    task,
    remainingTasks: state.pending.map((t) => t.task),
    text: `Run the next task of "${goal}": ${task.task}${how}? Answer "run", "skip", or {"edit": "<the task to run instead>"}.`,
  };
}

/** The confirmation request a question stands for, when it is one (of the planner `planner`, if given). */
export function asConfirmRequest(question: HumanQuestion, planner?: string): ConfirmRequest | undefined {
  const q = question.question as Partial<ConfirmRequest> | null;
  if (q === null || typeof q !== 'object' || q.kind !== 'planner.confirm') return undefined;
  if (planner !== undefined && q.planner !== planner) return undefined;
  return q as ConfirmRequest;
}

/**
 * The state after a decision on its current task: unchanged for "run"; the task replaced, and the edit
 * recorded in `added.edits`, for an edit; for "skip", no current task, the task listed in `added.declined`.
 * Returns a new state.
 */
export function applyDecision(state: PlannerState, decision: ConfirmDecision): PlannerState {
  const task = state.current as PlannedTask;
  const { step } = state;
  if (decision === 'run') {
    return { ...state, tasksRun: state.tasksRun + 1, events: [taskStarted(step, task)] };
  }
  if (decision === 'skip') {
    const { current: _skipped, ...rest } = state;
    return addTo({ ...rest, events: [{ type: 'task_declined', step, task: task.task }] }, 'declined', [
      task.task,
    ]);
  }
  const edited = toPlannedTask(decision.edit);
  const events = [{ type: 'task_edited' as const, step, task: task.task, edited: edited.task }];
  return addTo(
    {
      ...state,
      current: edited,
      tasksRun: state.tasksRun + 1,
      events: [...events, taskStarted(step, edited)],
    },
    'edits',
    [{ step, original: task, edited }],
  );
}

export function taskStarted(step: number, task: PlannedTask) {
  return { type: 'task_started' as const, step, task: task.task, ...(task.tool ? { tool: task.tool } : {}) };
}
