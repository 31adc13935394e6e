import type { TaskIndex } from './task-index.js';

/** The chain of dependent tasks whose durations add up to the most: no run can be shorter than it. */
export interface CriticalPath {
  /** Keys of the tasks on the path, first to last. */
  keys: string[];
  /** The sum of their durations, in milliseconds. */
  durationMs: number;
}

/**
 * The longest path by `durationMs` through the dependencies of the root graph's tasks (a GraphTask counts
 * with its own duration, which covers its nested graph). A task without a duration counts as 0 ms. Ties
 * go to the path found first in file order.
 */
export function criticalPath(index: TaskIndex, level: readonly string[] = index.roots): CriticalPath {
  const inLevel = new Set(level);
  const best = new Map<string, { total: number; previous: string | undefined }>();
  for (const key of topologicalOrder(index, level, inLevel)) {
    const entry = index.tasks.get(key);
    if (!entry) continue;
    let previous: string | undefined;
    let before = 0;
    for (const dep of entry.deps) {
      const total = best.get(dep)?.total;
      if (total !== undefined && (previous === undefined || total > before)) {
        previous = dep;
        before = total;
      }
    }
    best.set(key, { total: before + (entry.record.durationMs ?? 0), previous });
  }
  let last: string | undefined;
  let longest = -1;
  for (const [key, { total }] of best) {
    if (total > longest) {
      longest = total;
      last = key;
    }
  }
  const keys: string[] = [];
  for (let key = last; key !== undefined; key = best.get(key)?.previous) keys.unshift(key);
  return { keys, durationMs: Math.max(longest, 0) };
}

/** Kahn's algorithm over the level's own dependencies, keeping file order among ready tasks. */
function topologicalOrder(index: TaskIndex, level: readonly string[], inLevel: Set<string>): string[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const key of level) {
    const deps = (index.tasks.get(key)?.deps ?? []).filter((dep) => inLevel.has(dep));
    waiting.set(key, deps.length);
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(key);
      else dependents.set(dep, [key]);
    }
  }
  const order = level.filter((key) => waiting.get(key) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i] as string) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  return order;
}
