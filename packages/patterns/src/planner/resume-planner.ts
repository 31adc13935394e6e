import type { FunctionRegistry, JsonValue, ReplayPlan, TaskGraph } from '@taskgraph/core';
import { editTrace, planReplay, TaskGraphError } from '@taskgraph/core';
import { EMPTY_CHAIN } from '../shared/hash-chain-log.js';
import { plannerFunctionIds } from './planner-function-ids.js';
import { plannerStateAt } from './planner-history.js';
import type { PlannedTaskInput } from './planner-schemas.js';
import { toPlannedTask } from './planner-schemas.js';
import type { CompletedTask, PlannerState, PlannerStateWithLists } from './planner-state.js';

/** Values that replace the stored ones when a run resumes. */
export interface PlannerOverrides {
  pending?: readonly PlannedTaskInput[];
  finalResult?: PlannerState['finalResult'];
  completedTasks?: readonly CompletedTask[];
}

/**
 * Replaces parts of the planner's latest state in a loaded trace (the output of its last step that ran),
 * as an edit of the trace: the steps after it re-run from the new values, everything before is reused.
 * The new pending list is read by the next step. New `completedTasks` replace the run's whole list: that
 * state then holds the run's lists itself (`added`, with an empty `log`). Returns the replay plan.
 */
export function overridePlannerState(
  graph: TaskGraph,
  overrides: PlannerOverrides,
  options: { id?: string; name?: string; registry?: FunctionRegistry } = {},
): ReplayPlan {
  const id = options.id ?? 'planner';
  const stepFn = plannerFunctionIds(options.name ?? 'planner').step;
  let latest: { id: string; state: PlannerState } | undefined;
  for (const task of graph.tasks()) {
    if (task.kind !== 'function' || task.fn !== stepFn || !task.id.startsWith(`${id}/`) || !task.output)
      continue;
    const state = task.output.value as PlannerState;
    if (!latest || state.step > latest.state.step) latest = { id: task.id, state };
  }
  if (!latest) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `overridePlannerState: the graph holds no finished step of planner "${id}". Run it first, or pass the planner's \`id\`.`,
    );
  }
  const state: PlannerState = { ...latest.state };
  if (overrides.pending) state.pending = overrides.pending.map(toPlannedTask);
  if (overrides.finalResult) state.finalResult = { ...overrides.finalResult };
  if (overrides.completedTasks) {
    // The whole lists, with the completed tasks replaced, become this state's own: the lists start here.
    const { completed: _replaced, ...lists } = plannerStateAt(graph, latest.id) as PlannerStateWithLists;
    state.log = EMPTY_CHAIN;
    state.added = { completed: [...overrides.completedTasks] };
    for (const key of ['cancelled', 'skipped', 'declined', 'edits'] as const) {
      if (lists[key].length > 0) (state.added as Record<string, unknown>)[key] = lists[key];
    }
  }
  editTrace(graph, { task: latest.id, field: 'output', value: state as unknown as JsonValue });
  return planReplay(graph, options.registry);
}
