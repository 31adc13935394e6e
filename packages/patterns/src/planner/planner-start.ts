import type { TaskContext } from '@taskgraph/core';
import type { PlannerFunctionIds } from './planner-function-ids.js';
import type { PlannedTask } from './planner-schemas.js';
import { initialPlannerState } from './planner-state.js';
import type { PlannerStart } from './planner-step.js';

/**
 * The planner's first task: its settings and the state before the first step (the given tasks, and what
 * a resumed run starts from), and the first step, after a planning call unless tasks were given.
 */
export function startPlanner(ctx: TaskContext, ids: PlannerFunctionIds): PlannerStart {
  const { settings, tasks, from } = ctx.args as unknown as PlannerStart & {
    tasks: PlannedTask[];
    from?: Parameters<typeof initialPlannerState>[1];
  };
  const stepNamed = { start: ctx.taskId };
  if (tasks.length > 0) {
    ctx.addFunction({
      id: 'step-1',
      fn: ids.step,
      namedDeps: stepNamed,
      args: { n: 1, after: 'none', fixes: 0 },
    });
  } else {
    const plan = ctx.addLLM({
      id: 'plan',
      prompt: ids.planPrompt,
      parser: ids.readPlan,
      deps: [ctx.taskId],
      params: settings.models.planner,
      handler: settings.handlers.planner,
    });
    ctx.addFunction({
      id: 'step-1',
      fn: ids.step,
      namedDeps: { ...stepNamed, reply: plan.id },
      args: { n: 1, after: 'plan', fixes: 0, replyTask: plan.id },
    });
  }
  return { settings, state: initialPlannerState(tasks, from) };
}
