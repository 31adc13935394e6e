import { describe, expect, it } from 'vitest';
import { TaskGraph } from '../src/index.js';
import { planReplay } from '../src/trace/replay-plan.js';
import type { RawJson } from './helpers.js';
import { rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

/** `plan` reads its list from its dependency and creates one child per item. */
async function recordedPlan(items: string[]) {
  const t = trackingRegistry();
  const list = t.registry.register('list', (ctx) => (ctx.input as { items: string[] }).items);
  const plan = t.registry.register('plan', (ctx, names: string[]) => {
    for (const name of names) ctx.addFunction({ id: name, fn: t.node, args: name });
    return names.length;
  });
  const graph = new TaskGraph({ input: { items } });
  const source = graph.addFunction({ id: 'source', fn: list });
  graph.addFunction({ id: 'plan', fn: plan, deps: [source] });
  await graph.run(t.registry);
  t.take();
  return { t, trace: rawTrace(graph.toJSON()) as RawJson };
}

describe('tasks created while running, on replay', () => {
  it('are reused with their creator when nothing changed', async () => {
    const { t, trace } = await recordedPlan(['x', 'y']);
    const graph = TaskGraph.fromJSON(trace);
    await graph.run(t.registry);
    expect(t.take().ran).toEqual([]);
    expect([...graph.tasks()].map((task) => task.id)).toEqual(['source', 'plan', 'plan/x', 'plan/y']);
  });

  it('when the creator re-runs: children created again are reused, the others dropped, new ones run', async () => {
    const { t, trace } = await recordedPlan(['x', 'y', 'z']);
    trace.graph.input = { items: ['x', 'z', 'w'] };
    const graph = TaskGraph.fromJSON(trace);
    const plan = planReplay(graph, t.registry);
    expect(plan.tasks.filter((p) => p.action === 'recreate').map((p) => p.taskPath.join(''))).toEqual([
      'plan/x',
      'plan/y',
      'plan/z',
    ]);
    await graph.run(t.registry);
    expect(t.take().ran).toEqual(['plan/w']);
    expect([...graph.tasks()].map((task) => task.id)).toEqual([
      'source',
      'plan',
      'plan/x',
      'plan/z',
      'plan/w',
    ]);
    const saved = graph.toJSON().graph.tasks.map((record) => record.id);
    expect(saved).not.toContain('plan/y');
  });

  it('a child whose args were edited runs again with them; its creator, re-run, re-creates it', async () => {
    const { t, trace } = await recordedPlan(['x']);
    trace.graph.tasks.find((r: RawJson) => r.id === 'plan/x').args = 'edited';
    // The creator is reused, so the child keeps its edited definition; args are part of its fingerprint.
    const edited = TaskGraph.fromJSON(rawTrace(trace));
    await edited.run(t.registry);
    expect(t.take().ran).toEqual(['plan/x']);
    expect(edited.task('plan/x')?.args).toBe('edited');
    // Forced, the creator creates "x" again with args "x": the stored child no longer matches and runs.
    const forced = TaskGraph.fromJSON(rawTrace(trace));
    await forced.run(t.registry, { force: { tasks: ['plan'] } });
    expect(t.take().ran).toEqual(['plan/x']);
    expect(forced.task('plan/x')?.args).toBe('x');
  });
});
