import type { AnyTask, TaskGraphBase } from '@taskgraph/core';
import { closest } from '@taskgraph/core/internal';
import { invalidArgument } from './invalid-argument.js';

/**
 * How the command line names a task: its id in the root graph, or the ids of the enclosing graph tasks
 * and its own joined with `>` (`sections>draft`). Ids of tasks created while running keep their `/`
 * (`suggest/pick`), so `/` never separates levels. The whole string is tried as an id first.
 */
export const ADDRESS_SEPARATOR = '>';

/** The address of the task at `taskPath` (`["sections", "draft"]` → `sections>draft`). */
export function formatAddress(taskPath: readonly string[]): string {
  return taskPath.join(ADDRESS_SEPARATOR);
}

/** The path of the task an address names, or undefined when no task has it. */
export function findAddress(graph: TaskGraphBase, address: string): string[] | undefined {
  if (graph.task(address)) return [address];
  const parts = address.split(ADDRESS_SEPARATOR).map((part) => part.trim());
  return walk(graph, parts);
}

function walk(graph: TaskGraphBase, parts: readonly string[]): string[] | undefined {
  // The longest prefix that is an id first: an id may itself hold the separator.
  for (let k = parts.length; k >= 1; k--) {
    const id = parts.slice(0, k).join(ADDRESS_SEPARATOR);
    const task = graph.task(id);
    if (!task) continue;
    if (k === parts.length) return [id];
    if (task.kind !== 'graph') continue;
    const rest = walk(task.graph, parts.slice(k));
    if (rest) return [id, ...rest];
  }
  return undefined;
}

/** The path of the task an address names; throws INVALID_ARGUMENT naming the closest addresses. */
export function resolveAddress(graph: TaskGraphBase, address: string, api: string): string[] {
  const path = findAddress(graph, address);
  if (path) return path;
  throw invalidArgument(
    `${api}: no task "${address}" in the trace. Closest: ${closest(address, allAddresses(graph)).join(', ') || '(none)'}. Name nested tasks as outer${ADDRESS_SEPARATOR}inner.`,
  );
}

/** Every task's address, nested graphs included, in topological order. */
export function allAddresses(graph: TaskGraphBase): string[] {
  const out: string[] = [];
  visitTasks(graph, (_task, path) => {
    out.push(formatAddress(path));
  });
  return out;
}

/** Calls `visit` on every task in topological order, nested tasks right after their GraphTask. */
export function visitTasks(
  graph: TaskGraphBase,
  visit: (task: AnyTask, path: string[], depth: number) => void,
  prefix: string[] = [],
): void {
  for (const id of graph.topologicalOrder()) {
    const task = graph.task(id);
    if (!task) continue;
    const path = [...prefix, id];
    visit(task, path, prefix.length);
    if (task.kind === 'graph') visitTasks(task.graph, visit, path);
  }
}
