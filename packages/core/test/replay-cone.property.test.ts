import fc from 'fast-check';
import { DirectedGraph } from 'graphology';
import { dfsFromNode } from 'graphology-traversal';
import { describe, expect, it } from 'vitest';
import { TaskGraph } from '../src/index.js';
import { planReplay } from '../src/trace/replay-plan.js';
import type { RawJson } from './helpers.js';
import { rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

/** Random DAGs: node i depends on up to 3 earlier nodes. */
const dags = fc
  .integer({ min: 2, max: 40 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 3 }),
      ),
    ),
  );

/** The downstream cone, computed on a graph built straight from the dependency lists. */
function cone(deps: number[][], edited: number): string[] {
  const graph = new DirectedGraph();
  for (let i = 0; i < deps.length; i++) graph.addNode(`n${i}`);
  deps.forEach((list, i) => {
    for (const dep of list) graph.mergeDirectedEdge(`n${dep}`, `n${i}`);
  });
  const out: string[] = [];
  dfsFromNode(
    graph,
    `n${edited}`,
    (node) => {
      if (node !== `n${edited}`) out.push(node);
    },
    { mode: 'outbound' },
  );
  return out.sort();
}

describe('replay re-runs exactly the downstream cone of an edit', () => {
  it('on random DAGs with a random edited output', async () => {
    await fc.assert(
      fc.asyncProperty(dags, fc.nat(), async (deps, pick) => {
        const t = trackingRegistry();
        const graph = new TaskGraph();
        for (const [i, list] of deps.entries()) {
          graph.addFunction({ id: `n${i}`, fn: 'node', deps: list.map((d) => `n${d}`) });
        }
        await graph.run(t.registry);
        t.take();
        const edited = pick % deps.length;
        const trace: RawJson = rawTrace(graph.toJSON());
        trace.graph.tasks[edited].output = 'edited';
        const replayed = TaskGraph.fromJSON(trace);
        const plan = planReplay(replayed, t.registry);
        await replayed.run(t.registry);
        const expected = cone(deps, edited);
        expect(t.take().ran).toEqual(expected);
        expect(
          plan.tasks
            .filter((p) => p.action === 'rerun')
            .map((p) => p.taskPath[0])
            .sort(),
        ).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
