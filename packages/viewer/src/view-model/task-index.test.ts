import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { ancestorsOf, indexTrace, shownOutput } from './task-index.js';

async function nestedRun() {
  const registry = new FunctionRegistry();
  const one = registry.register('one', () => 1);
  const pair = registry.register('pair', (_ctx, named: { x: number; y: number }) => [named.x, named.y]);
  const spawn = registry.register('spawn', (ctx) => {
    ctx.addFunction({ id: 'child', fn: 'one' });
    return 'spawned';
  });
  const deepest = new TaskGraph();
  deepest.setOutput(deepest.addFunction({ id: 'leaf', fn: one }));
  const inner = new TaskGraph();
  inner.setOutput(inner.addGraph({ id: 'deep', graph: deepest }));
  const graph = new TaskGraph();
  const x = graph.addFunction({ id: 'x', fn: one });
  const y = graph.addFunction({ id: 'y', fn: one });
  graph.addFunction({ id: 'both', fn: pair, namedDeps: { x, y } });
  graph.addFunction({ id: 'spawn', fn: spawn });
  graph.setOutput(graph.addGraph({ id: 'outer', graph: inner }));
  await graph.run(registry);
  return graph.toJSON();
}

describe('indexTrace', () => {
  it('keys every task by its path, nested graphs included, in file order', async () => {
    const index = indexTrace(await nestedRun());
    expect(index.roots).toEqual(['x', 'y', 'both', 'spawn', 'outer', 'spawn/child']);
    expect([...index.tasks.keys()]).toContain('outer > deep > leaf');
    expect(index.tasks.get('outer')?.children).toEqual(['outer > deep']);
    expect(index.tasks.get('outer > deep > leaf')?.parent).toBe('outer > deep');
    expect(ancestorsOf(index, 'outer > deep > leaf')).toEqual(['outer', 'outer > deep']);
  });

  it('lists named dependencies with the positional ones, and the creator of a created task', async () => {
    const index = indexTrace(await nestedRun());
    expect(index.tasks.get('both')?.deps).toEqual(['x', 'y']);
    expect(index.tasks.get('spawn/child')?.creator).toBe('spawn');
  });

  it('lists the tasks that use a task and the tasks it created', async () => {
    const index = indexTrace(await nestedRun());
    expect(index.tasks.get('x')?.usedBy).toEqual(['both']);
    expect(index.tasks.get('both')?.usedBy).toEqual([]);
    expect(index.tasks.get('spawn')?.created).toEqual(['spawn/child']);
  });

  it("shows a GraphTask's output as its nested graph's output", async () => {
    const index = indexTrace(await nestedRun());
    const outer = index.tasks.get('outer');
    expect(outer && shownOutput(outer.record)).toEqual({ present: true, value: 1 });
  });
});
