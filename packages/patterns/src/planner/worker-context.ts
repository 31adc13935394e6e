import type { JsonValue } from '@taskgraph/core';
import type { CompletedTask } from './planner-state.js';

export interface WorkerContextInput {
  goal: string;
  remainingTasks: readonly string[];
  currentTask: string;
  finalResult: Readonly<Record<string, JsonValue>>;
  sharedState: Readonly<Record<string, JsonValue>>;
  completedTasks?: readonly CompletedTask[];
}

export interface WorkerContextOptions {
  /** Add the completed tasks and their results to the info. Default false. */
  includeCompleted?: boolean;
  /** Give only the larger of the final result and the shared state (the seed's "smart_combine"). Default false. */
  pickLarger?: boolean;
}

export interface WorkerContext {
  goal: string;
  currentTask: string;
  remainingTasks: string[];
  info: Record<string, JsonValue>;
}

/**
 * What the worker of a task is told: the goal, its task, the tasks after it, and the info gathered so
 * far. Builds new objects only: the state it reads is never changed (the seed wrote the completed tasks
 * into its own final result).
 */
export function buildWorkerContext(
  input: WorkerContextInput,
  options: WorkerContextOptions = {},
): WorkerContext {
  const both = { final_result: { ...input.finalResult }, stored_info: { ...input.sharedState } };
  let info: Record<string, JsonValue> = both;
  if (options.pickLarger) {
    const result = JSON.stringify(input.finalResult);
    const stored = JSON.stringify(input.sharedState);
    info = result.length >= stored.length ? { ...input.finalResult } : { ...input.sharedState };
  }
  if (options.includeCompleted && input.completedTasks) {
    info = {
      ...info,
      completed_tasks: input.completedTasks.map((t) => ({ task: t.task, result: t.result })),
    };
  }
  return {
    goal: input.goal,
    currentTask: input.currentTask,
    remainingTasks: [...input.remainingTasks],
    info,
  };
}
