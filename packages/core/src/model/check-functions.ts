import type { FunctionRegistry } from './registry.js';
import type { Task } from './task.js';
import type { TaskGraphBase } from './task-graph-base.js';

/** Throws UNKNOWN_FUNCTION for the first function id of `task` (or of its nested graph) the registry does not hold. */
export function checkFunctions(
  registry: FunctionRegistry,
  task: Task,
  at: { readonly taskPath: readonly string[] },
): void {
  const { descriptor } = task;
  // The task's path is read only for an error or a nested graph.
  for (const id of descriptor.functionIds(task)) if (!registry.find(id)) registry.get(id, at.taskPath);
  const nested = descriptor.nested?.graph(task);
  if (nested) checkGraphFunctions(registry, nested, at.taskPath);
}

/** Checks every task of a graph and its nested graphs, before anything runs. */
export function checkGraphFunctions(
  registry: FunctionRegistry,
  graph: TaskGraphBase,
  path: readonly string[] = [],
): void {
  // A task's path is built only for an error or a nested graph: most tasks share a few known functions.
  for (const task of graph.tasks()) {
    const { descriptor } = task;
    for (const id of descriptor.functionIds(task))
      if (!registry.find(id)) registry.get(id, [...path, task.id]);
    const nested = descriptor.nested?.graph(task);
    if (nested) checkGraphFunctions(registry, nested, [...path, task.id]);
  }
}
