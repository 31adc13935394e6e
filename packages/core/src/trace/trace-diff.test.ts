import { describe, expect, it } from 'vitest';
import { rawTrace } from '../../test/helpers.js';
import { trackingRegistry } from '../../test/tracking.js';
import { TaskGraph } from '../index.js';
import { diffTraces } from './trace-diff.js';

async function recorded() {
  const t = trackingRegistry();
  const inner = new TaskGraph();
  inner.setOutput(inner.addFunction({ id: 'leaf', fn: t.node }));
  const graph = new TaskGraph({ input: 1 });
  const a = graph.addFunction({ id: 'a', fn: t.node });
  const ask = graph.addLLM({ id: 'ask', prompt: t.prompt, deps: [a], handler: 'scripted' });
  graph.addFunction({ id: 'b', fn: t.node, deps: [ask] });
  graph.addGraph({ id: 'sub', graph: inner });
  await graph.run(t.registry);
  return { t, trace: rawTrace(graph.toJSON()) };
}

describe('diffTraces', () => {
  it('finds nothing between a trace and its replay', async () => {
    const { t, trace } = await recorded();
    const replay = TaskGraph.fromJSON(trace);
    await replay.run(t.registry);
    expect(diffTraces(trace, replay.toJSON())).toEqual({ same: true, tasks: [], firstDivergence: undefined });
  });

  it('names each changed field and the first divergence in topological order', async () => {
    const { t, trace } = await recorded();
    const edited = rawTrace(trace);
    edited.graph.tasks.find((r: { id: string }) => r.id === 'ask').response.content = 'other';
    const replay = TaskGraph.fromJSON(edited);
    await replay.run(t.registry);
    const diff = diffTraces(trace, replay);
    expect(diff.same).toBe(false);
    expect(diff.firstDivergence).toEqual(['ask']);
    expect(diff.tasks.map((d) => [d.taskPath.join('>'), d.fields.map((f) => f.field)])).toEqual([
      ['ask', ['response', 'output']],
      ['b', ['output']],
    ]);
    expect(diff.tasks[0]?.fields[0]).toMatchObject({ after: { content: 'other' } });
  });

  it('compares nested graphs, status and errors, and added or removed tasks', async () => {
    const { trace } = await recorded();
    const other = rawTrace(trace);
    const sub = other.graph.tasks.find((r: { id: string }) => r.id === 'sub');
    sub.graph.tasks[0].output = 'changed';
    const b = other.graph.tasks.find((r: { id: string }) => r.id === 'b');
    b.status = 'failed';
    b.error = { name: 'Error', message: 'boom' };
    b.output = undefined;
    const diff = diffTraces(trace, other);
    const byPath = Object.fromEntries(
      diff.tasks.map((d) => [d.taskPath.join('>'), d.fields.map((f) => f.field)]),
    );
    expect(byPath).toEqual({ b: ['status', 'output', 'error'], sub: ['output'], 'sub>leaf': ['output'] });
  });

  it('places the first divergence inside a nested graph that changed only inside', async () => {
    const { trace } = await recorded();
    const other = rawTrace(trace);
    other.graph.tasks.find((r: { id: string }) => r.id === 'sub').graph.tasks[0].output = 'changed';
    expect(diffTraces(trace, other).firstDivergence).toEqual(['sub', 'leaf']);
  });
});
