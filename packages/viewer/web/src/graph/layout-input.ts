import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { pathKey } from '../../../src/view-model/task-index.js';
import type { LayoutEdge, LayoutLevel, LayoutNode } from '../layout/layout-types.js';
import { GRAPH_NODE_HEIGHT, GROUP_MIN_WIDTH, NODE_HEIGHT, NODE_WIDTH } from '../layout/layout-types.js';
import type { AddedTask } from '../live-run.js';

/**
 * The levels to lay out: the root graph's tasks, and inside each open GraphTask its nested tasks. Tasks
 * created by a replay in progress join the level of their creator.
 */
export function layoutInput(
  index: TaskIndex,
  expanded: ReadonlySet<string>,
  added: ReadonlyMap<string, AddedTask>,
): LayoutLevel {
  const extra = new Map<string, AddedTask[]>();
  for (const task of added.values()) {
    if (index.tasks.has(task.key)) continue;
    const parent = pathKey(task.path.slice(0, -1));
    extra.set(parent, [...(extra.get(parent) ?? []), task]);
  }
  const level = (keys: readonly string[], parent: string): LayoutLevel => {
    const nodes: LayoutNode[] = [];
    const edges: LayoutEdge[] = [];
    for (const key of keys) {
      const entry = index.tasks.get(key);
      if (!entry) continue;
      const graph = entry.record.kind === 'graph';
      const open = graph && expanded.has(key);
      const node: LayoutNode = {
        key,
        width: open ? GROUP_MIN_WIDTH : NODE_WIDTH,
        height: graph ? GRAPH_NODE_HEIGHT : NODE_HEIGHT,
      };
      if (open) node.inner = level(entry.children, key);
      nodes.push(node);
      for (const dep of entry.deps) edges.push({ from: dep, to: key });
      if (entry.creator !== undefined && !entry.deps.includes(entry.creator)) {
        edges.push({ from: entry.creator, to: key, created: true });
      }
    }
    for (const task of extra.get(parent) ?? []) {
      nodes.push({ key: task.key, width: NODE_WIDTH, height: NODE_HEIGHT });
      edges.push({ from: task.creator, to: task.key, created: true });
    }
    return { nodes, edges };
  };
  return level(index.roots, '');
}
