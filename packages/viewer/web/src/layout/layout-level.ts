import { dagreLayout } from './dagre-layout.js';
import type { FlatLayout, SizedNode } from './flat-layout.js';
import type { LayoutLevel, LayoutResult, Placement, Point } from './layout-types.js';
import { edgeId, GROUP_HEADER, GROUP_PADDING } from './layout-types.js';
import { levelRanks } from './level-ranks.js';
import { rankLayout } from './rank-layout.js';

/**
 * dagre lays out a level of up to this many nodes plus the bends its long edges need (about a second);
 * larger levels get the linear-time rank layout.
 */
export const DAGRE_LIMIT = 400;

/**
 * Lays out a level top to bottom, open groups first: a group's size comes from its content, and the
 * content's placements are relative to the group's top-left corner.
 */
export function layoutLevel(level: LayoutLevel): LayoutResult {
  const placements: Record<string, Placement> = {};
  const bends: Record<string, Point[]> = {};
  const sized: SizedNode[] = [];
  for (const node of level.nodes) {
    if (!node.inner) {
      sized.push({ key: node.key, width: node.width, height: node.height });
      continue;
    }
    const inner = layoutLevel(node.inner);
    const width = Math.max(node.width, inner.width + 2 * GROUP_PADDING);
    // Content centred in the group (which is at least as wide as its header needs).
    const dx = (width - inner.width) / 2;
    const children = new Set(node.inner.nodes.map((child) => child.key));
    const own = new Set(node.inner.edges.map(({ from, to }) => edgeId(from, to)));
    // Direct children and their edges move into the group; deeper ones are relative to their own group.
    for (const [key, place] of Object.entries(inner.placements)) {
      placements[key] = children.has(key) ? { ...place, x: place.x + dx, y: place.y + GROUP_HEADER } : place;
    }
    for (const [id, points] of Object.entries(inner.bends)) {
      bends[id] = own.has(id) ? points.map((p) => ({ x: p.x + dx, y: p.y + GROUP_HEADER })) : points;
    }
    sized.push({ key: node.key, width, height: inner.height + GROUP_HEADER + GROUP_PADDING });
  }
  const keys = new Set(sized.map((node) => node.key));
  const edges = level.edges.filter(({ from, to }) => keys.has(from) && keys.has(to) && from !== to);
  const ranks = levelRanks([...keys], edges);
  const bendCount = edges.reduce(
    (sum, { from, to }) => sum + (ranks.get(to) ?? 0) - (ranks.get(from) ?? 0) - 1,
    0,
  );
  const flat: FlatLayout =
    sized.length + bendCount <= DAGRE_LIMIT ? dagreLayout(sized, edges) : rankLayout(sized, edges, ranks);
  for (const node of sized) {
    const corner = flat.positions.get(node.key) ?? { x: 0, y: 0 };
    placements[node.key] = { ...corner, width: node.width, height: node.height };
  }
  Object.assign(bends, flat.bends);
  return { placements, bends, width: flat.width, height: flat.height };
}
