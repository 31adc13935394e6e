import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { pathKey } from '../../../src/view-model/task-index.js';
import type { LayoutEdge, LayoutLevel, LayoutNode } from '../layout/layout-types.js';
import { GRAPH_NODE_HEIGHT, GROUP_MIN_WIDTH, NODE_HEIGHT, NODE_WIDTH } from '../layout/layout-types.js';
import type { AddedTask } from '../live-run.js';
import type { TaskGroups } from './task-groups.js';

/**
 * The levels to lay out: the root graph's tasks, inside each open GraphTask its nested tasks, and inside
 * each open group of created tasks its members. A closed group is one node, and the edges of its members
 * become its edges. Tasks created by a replay in progress join the level of their creator.
 */
export function layoutInput(
  index: TaskIndex,
  groups: TaskGroups,
  isOpen: (key: string) => boolean,
  added: ReadonlyMap<string, AddedTask>,
): LayoutLevel {
  const extra = new Map<string, AddedTask[]>();
  for (const task of added.values()) {
    if (index.tasks.has(task.key)) continue;
    const parent = pathKey(task.path.slice(0, -1));
    extra.set(parent, [...(extra.get(parent) ?? []), task]);
  }
  const level = (keys: readonly string[], parent: string, grouping: boolean): LayoutLevel => {
    const nodes: LayoutNode[] = [];
    const edges = new Map<string, LayoutEdge>();
    // Where a task of this level is drawn: itself, or the group that holds it.
    const shownAs = (key: string) => (grouping ? (groups.groupOf.get(key) ?? key) : key);
    const edge = (from: string, to: string, created: boolean) => {
      const a = shownAs(from);
      const b = shownAs(to);
      if (a === b) return;
      const id = `${a}\n${b}`;
      const known = edges.get(id);
      if (!known) edges.set(id, created ? { from: a, to: b, created } : { from: a, to: b });
      else if (!created) delete known.created;
    };
    const placed = new Set<string>();
    for (const key of keys) {
      const entry = index.tasks.get(key);
      if (!entry) continue;
      const group = grouping ? groups.groupOf.get(key) : undefined;
      if (group !== undefined && !placed.has(group)) {
        placed.add(group);
        const members = groups.groups.get(group)?.members ?? [];
        const node: LayoutNode = { key: group, width: NODE_WIDTH, height: GRAPH_NODE_HEIGHT };
        if (isOpen(group)) {
          node.width = GROUP_MIN_WIDTH;
          node.inner = level(members, parent, false);
        }
        nodes.push(node);
      } else if (group === undefined) {
        const graph = entry.record.kind === 'graph';
        const open = graph && isOpen(key);
        const node: LayoutNode = {
          key,
          width: open ? GROUP_MIN_WIDTH : NODE_WIDTH,
          height: graph ? GRAPH_NODE_HEIGHT : NODE_HEIGHT,
        };
        if (open) node.inner = level(entry.children, key, true);
        nodes.push(node);
      }
      for (const dep of entry.deps) edge(dep, key, false);
      if (entry.creator !== undefined && !entry.deps.includes(entry.creator)) edge(entry.creator, key, true);
    }
    for (const task of extra.get(parent) ?? []) {
      nodes.push({ key: task.key, width: NODE_WIDTH, height: NODE_HEIGHT });
      edge(task.creator, task.key, true);
    }
    // An edge to a task outside this level is drawn by the level that holds both ends (as its group's).
    const here = new Set(nodes.map((node) => node.key));
    return { nodes, edges: [...edges.values()].filter(({ from, to }) => here.has(from) && here.has(to)) };
  };
  return level(index.roots, '', true);
}
