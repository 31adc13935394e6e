import type { FlatLayout, SizedNode } from './flat-layout.js';
import { NODE_GAP, RANK_GAP } from './flat-layout.js';
import type { LayoutEdge, Point } from './layout-types.js';

/** Down, up, down: enough for rows to settle under their dependencies and over their dependents. */
const SWEEPS = 3;
/**
 * A rank of more tasks than this wraps onto further rows, in file order: the graph then reads top to
 * bottom like a page, and the minimap shows its shape instead of a line.
 */
export const MAX_ROW = 60;

/**
 * A layered layout in linear time for levels too large for dagre (which takes seconds from a few hundred
 * tasks, minutes for a random DAG of 2,000). Rows by rank; a task that depends on nothing sits just above
 * its first dependent rather than in the top row; a wide rank wraps onto rows of MAX_ROW tasks. Sweeps down
 * and up order each row by the mean position
 * of its neighbours in the row before (barycenter) and place each task as near that point as the row
 * allows. Edges are drawn as curves from task to task.
 */
export function rankLayout(
  nodes: readonly SizedNode[],
  edges: readonly LayoutEdge[],
  ranks: ReadonlyMap<string, number>,
): FlatLayout {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const { from, to } of edges) {
    push(parents, to, from);
    push(children, from, to);
  }
  const rankOf = (key: string): number => {
    const rank = ranks.get(key) ?? 0;
    if (parents.has(key)) return rank;
    const below = (children.get(key) ?? []).map((child) => ranks.get(child) ?? 1);
    return below.length > 0 ? Math.max(0, Math.min(...below) - 1) : rank;
  };
  const rows: SizedNode[][] = [];
  for (const node of nodes) {
    const rank = rankOf(node.key);
    const row = rows[rank];
    if (row) row.push(node);
    else rows[rank] = [node];
  }
  const filled: SizedNode[][] = [];
  for (const row of rows) {
    if (!row) continue;
    for (let start = 0; start < row.length; start += MAX_ROW) filled.push(row.slice(start, start + MAX_ROW));
  }

  const centers = new Map<string, number>();
  for (const row of filled) placeRow(row, new Map(), centers);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const neighbours = down ? parents : children;
    for (const row of down ? filled : [...filled].reverse()) {
      const wanted = new Map<string, number>();
      for (const node of row) {
        const xs = (neighbours.get(node.key) ?? []).map((key) => centers.get(key) as number);
        wanted.set(
          node.key,
          xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : (centers.get(node.key) as number),
        );
      }
      placeRow(row, wanted, centers);
    }
  }

  const positions = new Map<string, Point>();
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let y = 0;
  for (const row of filled) {
    let height = 0;
    for (const node of row) {
      const x = (centers.get(node.key) as number) - node.width / 2;
      positions.set(node.key, { x, y });
      left = Math.min(left, x);
      right = Math.max(right, x + node.width);
      height = Math.max(height, node.height);
    }
    y += height + RANK_GAP;
  }
  for (const point of positions.values()) point.x -= left;
  return { positions, bends: {}, width: Math.max(0, right - left), height: Math.max(0, y - RANK_GAP) };
}

/**
 * Orders `row` by wanted centre (file order without one) and places each task at its wanted centre or
 * just right of the one before; then moves the row back by the mean push so it stays centred where wanted.
 */
function placeRow(row: SizedNode[], wanted: ReadonlyMap<string, number>, centers: Map<string, number>): void {
  if (wanted.size > 0) {
    const index = new Map(row.map((node, i) => [node.key, i]));
    row.sort(
      (a, b) =>
        (wanted.get(a.key) ?? 0) - (wanted.get(b.key) ?? 0) ||
        (index.get(a.key) ?? 0) - (index.get(b.key) ?? 0),
    );
  }
  let next = Number.NEGATIVE_INFINITY;
  let push = 0;
  const placed: number[] = [];
  for (const node of row) {
    const want =
      wanted.get(node.key) ?? (next === Number.NEGATIVE_INFINITY ? node.width / 2 : next + node.width / 2);
    const center = Math.max(want, next + node.width / 2);
    push += center - want;
    placed.push(center);
    next = center + node.width / 2 + NODE_GAP;
  }
  const back = row.length > 0 ? push / row.length : 0;
  for (const [i, node] of row.entries()) centers.set(node.key, (placed[i] as number) - back);
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
