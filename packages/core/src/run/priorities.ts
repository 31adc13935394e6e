import type { RunNode } from './run-node.js';

/**
 * Gives each task of a graph its priority for the queues of limited concurrency: the length of the
 * longest path still ahead of it, itself included, weighted by the durations recorded in an earlier run
 * (a task that never ran weighs the median recorded duration, or 1 when none is known). Queued tasks
 * with the longest path ahead start first, which is what keeps a limited run near its critical path.
 * `order` lists every node after the nodes it depends on (a graph's insertion order does).
 */
export function assignPriorities(order: readonly RunNode[]): void {
  const recorded = order.map((node) => node.task.durationMs).filter((ms): ms is number => ms !== undefined);
  recorded.sort((a, b) => a - b);
  const fallback = recorded.length > 0 ? (recorded[recorded.length >> 1] as number) : 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as RunNode;
    let ahead = 0;
    for (const dependent of node.dependents) if (dependent.priority > ahead) ahead = dependent.priority;
    node.priority = (node.task.durationMs ?? fallback) + ahead;
  }
}
