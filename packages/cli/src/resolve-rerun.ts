import type { ForceOptions, FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { closest } from '@taskgraph/core/internal';
import { invalidArgument } from './invalid-argument.js';
import { allAddresses, findAddress, visitTasks } from './task-address.js';

/**
 * Turns `--rerun` values into core's force options: each value is a task address (tried first) or a
 * function id (every stage that uses the function re-runs). Throws INVALID_ARGUMENT naming the closest
 * addresses and function ids when a value is neither.
 */
export function resolveRerun(
  graph: TaskGraph,
  registry: FunctionRegistry | undefined,
  values: readonly string[],
  api: string,
): ForceOptions {
  const tasks: string[][] = [];
  const functions: string[] = [];
  const used = functionIds(graph);
  for (const value of values) {
    const path = findAddress(graph, value);
    if (path) tasks.push(path);
    else if (used.has(value) || registry?.has(value)) functions.push(value);
    else {
      const known = [...new Set([...allAddresses(graph), ...used])];
      throw invalidArgument(
        `${api}: --rerun "${value}" is neither a task nor a function of the trace. Closest: ${closest(value, known).join(', ') || '(none)'}.`,
      );
    }
  }
  return { tasks, functions };
}

/** The ids of the functions the trace's tasks use: functions, prompt formatters, parsers, input formatters. */
export function functionIds(graph: TaskGraph): Set<string> {
  const ids = new Set<string>();
  visitTasks(graph, (task) => {
    if (task.kind === 'function') ids.add(task.fn);
    if (task.kind === 'graph') ids.add(task.inputFn);
    if (task.kind === 'llm') {
      ids.add(task.promptFn);
      if ('fn' in task.parser) ids.add(task.parser.fn);
    }
  });
  return ids;
}
