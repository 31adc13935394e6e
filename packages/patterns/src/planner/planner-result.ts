import type { TaskGraph } from '@taskgraph/core';
import type { TaskEdit } from './planner-confirm.js';
import type { PlannerSettings } from './planner-settings.js';
import type { CompletedTask, PlannerState, PlannerStateWithLists, PlannerStatus } from './planner-state.js';

/** How a planner run ended, with the whole lists of the run: the output of its `end` task. */
export interface PlannerResult {
  goal: string;
  status: PlannerStatus;
  finalResult: PlannerState['finalResult'];
  storedInfo: PlannerState['storedInfo'];
  completedTasks: CompletedTask[];
  /** Tasks dropped before they ran (by a refine, or by the completing step). */
  cancelled: string[];
  /** New tasks the no-repeat rule kept out. */
  skipped: string[];
  /** Tasks a confirmation skipped, and tasks it replaced (with what ran instead). */
  declined: string[];
  edits: TaskEdit[];
  steps: number;
  tasksRun: number;
  /** Whether the completion hook was called (only when the goal is complete). */
  hookCalled: boolean;
}

export function toPlannerResult(
  settings: PlannerSettings,
  state: PlannerStateWithLists,
  hookCalled: boolean,
): PlannerResult {
  return {
    goal: settings.goal,
    status: state.status,
    finalResult: state.finalResult,
    storedInfo: state.storedInfo,
    completedTasks: state.completed,
    cancelled: state.cancelled,
    skipped: state.skipped,
    declined: state.declined,
    edits: state.edits,
    steps: state.step,
    tasksRun: state.tasksRun,
    hookCalled,
  };
}

/** The result of the planner whose first task is `id` in a graph (a run or a loaded trace). */
export function plannerResult(graph: TaskGraph, id: string, endFn: string): PlannerResult | undefined {
  for (const task of graph.tasks()) {
    if (task.kind === 'function' && task.fn === endFn && task.id.startsWith(`${id}/`) && task.output) {
      return task.output.value as PlannerResult;
    }
  }
  return undefined;
}
