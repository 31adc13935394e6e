import { TaskGraphError } from '../model/errors.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { editTrace, findTask } from './edit-trace.js';
import type { PlanOptions, ReplayPlan } from './replay-plan.js';

/**
 * Answers the question of a human task: the answer is checked (it must be JSON, and satisfy the task's
 * schema parser), stored as the task's `answer` stage, and the next run resumes from it, reusing
 * everything done. An answer it refuses is ANSWER_INVALID naming the task, and the graph is left as it
 * was. `task` is an id of the root graph or a path into nested graphs. Returns the replay plan when a
 * registry is given.
 */
export function answerTask(
  graph: TaskGraphBase,
  task: string | readonly string[],
  value: unknown,
  registry?: FunctionRegistry,
  options: PlanOptions = {},
): ReplayPlan | undefined {
  const path = typeof task === 'string' ? [task] : [...task];
  const target = findTask(graph, path);
  if (!target.descriptor.stages.some((stage) => stage.stage === 'answer')) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `answerTask: task "${path.join(' > ')}" is a ${target.kind} task; only human tasks take answers.`,
      { taskPath: path },
    );
  }
  return editTrace(graph, { task: path, field: 'answer', value }, registry, options);
}
