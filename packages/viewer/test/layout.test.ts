import { describe, expect, it } from 'vitest';
import { DAGRE_LIMIT, layoutLevel } from '../web/src/layout/layout-level.js';
import type { LayoutLevel, LayoutResult, Placement } from '../web/src/layout/layout-types.js';
import { GROUP_HEADER, NODE_HEIGHT, NODE_WIDTH } from '../web/src/layout/layout-types.js';

/** A random DAG as a layout level: each task depends on up to three earlier ones. */
function randomLevel(size: number, seed = 7): LayoutLevel {
  let state = seed;
  const random = () => {
    state = (state * 16_807) % 2_147_483_647;
    return state / 2_147_483_647;
  };
  const level: LayoutLevel = { nodes: [], edges: [] };
  for (let i = 0; i < size; i++) {
    level.nodes.push({ key: `t${i}`, width: NODE_WIDTH, height: NODE_HEIGHT });
    const deps = new Set<number>();
    for (let d = Math.floor(random() * 4); d > 0 && i > 0; d--) deps.add(Math.floor(random() * i));
    for (const dep of deps) level.edges.push({ from: `t${dep}`, to: `t${i}` });
  }
  return level;
}

function place(layout: LayoutResult, key: string): Placement {
  const found = layout.placements[key];
  if (!found) throw new Error(`no placement for ${key}`);
  return found;
}

function overlaps(a: Placement, b: Placement): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('layoutLevel', () => {
  for (const [name, size] of [
    ['dagre, for a small graph', 40],
    ['the rank layout, for a graph too large for dagre', DAGRE_LIMIT * 3],
  ] as const) {
    it(`places every task below the tasks it depends on, without overlaps (${name})`, () => {
      const level = randomLevel(size);
      const layout = layoutLevel(level);
      for (const { from, to } of level.edges) {
        expect(place(layout, to).y).toBeGreaterThanOrEqual(place(layout, from).y + NODE_HEIGHT);
      }
      const all = level.nodes.map((node) => place(layout, node.key));
      const byRow = new Map<number, Placement[]>();
      for (const p of all) byRow.set(p.y, [...(byRow.get(p.y) ?? []), p]);
      for (const row of byRow.values()) {
        const sorted = [...row].sort((a, b) => a.x - b.x);
        for (let i = 1; i < sorted.length; i++)
          expect(overlaps(sorted[i - 1] as Placement, sorted[i] as Placement)).toBe(false);
      }
      expect(Math.min(...all.map((p) => p.x))).toBeGreaterThanOrEqual(0);
      expect(Math.max(...all.map((p) => p.x + p.width))).toBeLessThanOrEqual(layout.width + 0.001);
    });
  }

  it('sizes an open group to hold its tasks, placed relative to the group', () => {
    const inner = randomLevel(6, 3);
    const level: LayoutLevel = {
      nodes: [
        { key: 'before', width: NODE_WIDTH, height: NODE_HEIGHT },
        { key: 'group', width: 300, height: NODE_HEIGHT, inner },
      ],
      edges: [{ from: 'before', to: 'group' }],
    };
    const layout = layoutLevel(level);
    const group = place(layout, 'group');
    for (const node of inner.nodes) {
      const child = place(layout, node.key);
      expect(child.x).toBeGreaterThanOrEqual(0);
      expect(child.y).toBeGreaterThanOrEqual(GROUP_HEADER);
      expect(child.x + child.width).toBeLessThanOrEqual(group.width);
      expect(child.y + child.height).toBeLessThanOrEqual(group.height);
    }
    expect(group.y).toBeGreaterThan(place(layout, 'before').y);
  });

  it('bends an edge that crosses ranks around the tasks between its ends (dagre)', () => {
    const layout = layoutLevel({
      nodes: ['a', 'b', 'c'].map((key) => ({ key, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'c' },
      ],
    });
    expect(Object.keys(layout.bends)).toEqual(['a\u2192c']);
  });
});
