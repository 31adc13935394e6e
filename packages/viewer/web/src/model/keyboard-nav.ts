import type { TaskIndex } from '../../../src/view-model/task-index.js';

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export const NAV_KEYS: ReadonlySet<string> = new Set<NavKey>([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
]);

/**
 * The task a key moves to from `from`: up to its first dependency (or its creator), down to the first task
 * that uses it (or that it created), left and right to the previous and next task of its graph in reading
 * (file) order, Home and End to the first and last. With nothing selected, the first task of the graph.
 */
export function navigate(index: TaskIndex, from: string | undefined, key: NavKey): string | undefined {
  const entry = from === undefined ? undefined : index.tasks.get(from);
  if (!entry) return index.roots[0];
  const siblings =
    entry.parent === undefined ? index.roots : (index.tasks.get(entry.parent)?.children ?? [entry.key]);
  const at = siblings.indexOf(entry.key);
  switch (key) {
    case 'ArrowUp':
      return entry.deps[0] ?? entry.creator ?? entry.parent ?? entry.key;
    case 'ArrowDown':
      return entry.usedBy[0] ?? entry.created[0] ?? entry.children[0] ?? entry.key;
    case 'ArrowLeft':
      return siblings[Math.max(0, at - 1)];
    case 'ArrowRight':
      return siblings[Math.min(siblings.length - 1, at + 1)];
    case 'Home':
      return siblings[0];
    case 'End':
      return siblings[siblings.length - 1];
  }
}
