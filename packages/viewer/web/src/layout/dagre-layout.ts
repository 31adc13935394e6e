import dagre from '@dagrejs/dagre';
import type { FlatLayout, SizedNode } from './flat-layout.js';
import { NODE_GAP, RANK_GAP } from './flat-layout.js';
import type { LayoutEdge, Point } from './layout-types.js';
import { edgeId } from './layout-types.js';

/** dagre's layered layout, top to bottom, with the bend points of edges that cross ranks. */
export function dagreLayout(nodes: readonly SizedNode[], edges: readonly LayoutEdge[]): FlatLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: NODE_GAP, ranksep: RANK_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) g.setNode(node.key, { width: node.width, height: node.height });
  // dagre orders the tasks of a rank against the order it meets edges in: added last to first, the
  // tasks of a rank come out left to right in file order (reading order), not right to left.
  for (let i = edges.length - 1; i >= 0; i--) {
    const edge = edges[i] as LayoutEdge;
    g.setEdge(edge.from, edge.to);
  }
  dagre.layout(g);
  const positions = new Map<string, Point>();
  let width = 0;
  let height = 0;
  for (const node of nodes) {
    const { x, y } = g.node(node.key);
    const corner = { x: x - node.width / 2, y: y - node.height / 2 };
    positions.set(node.key, corner);
    width = Math.max(width, corner.x + node.width);
    height = Math.max(height, corner.y + node.height);
  }
  const bends: Record<string, Point[]> = {};
  for (const { from, to } of edges) {
    const points = (g.edge(from, to) as { points?: Point[] } | undefined)?.points ?? [];
    // Three points: straight to the next rank. More: the edge bends around the ranks it crosses.
    if (points.length > 3) bends[edgeId(from, to)] = points.slice(1, -1).map(({ x, y }) => ({ x, y }));
  }
  return { positions, bends, width, height };
}
