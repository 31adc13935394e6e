import type { FunctionRegistry } from './registry.js';
import type { AnyTask } from './task.js';
import type { TaskGraph } from './task-graph.js';

/** Throws UNKNOWN_FUNCTION for the first function id of `task` the registry does not hold. */
export function checkFunctions(registry: FunctionRegistry, task: AnyTask, taskPath: readonly string[]): void {
  switch (task.kind) {
    case 'function':
      registry.get(task.fn, taskPath);
      return;
    case 'llm':
      registry.get(task.promptFn, taskPath);
      if ('fn' in task.parser) registry.get(task.parser.fn, taskPath);
      return;
    case 'graph':
      registry.get(task.inputFn, taskPath);
      checkGraphFunctions(registry, task.graph, taskPath);
  }
}

/** Checks every task of a graph and its nested graphs, before anything runs. */
export function checkGraphFunctions(
  registry: FunctionRegistry,
  graph: TaskGraph,
  path: readonly string[] = [],
): void {
  for (const task of graph.tasks()) checkFunctions(registry, task, [...path, task.id]);
}
