import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph } from '../src/index.js';
import { rawTrace } from './helpers.js';

function recordingRegistry() {
  const registry = new FunctionRegistry();
  const started: string[] = [];
  registry.register('step', async (ctx) => {
    started.push(ctx.taskId);
    await new Promise((resolve) => setImmediate(resolve));
    return ctx.taskId;
  });
  return { registry, started };
}

describe('queued tasks start by the longest path ahead of them', () => {
  it('a task with a long chain behind it starts before ready leaves added earlier', async () => {
    const { registry, started } = recordingRegistry();
    const graph = new TaskGraph();
    const root = graph.addFunction({ id: 'root', fn: 'step' });
    for (const id of ['leaf1', 'leaf2', 'leaf3']) graph.addFunction({ id, fn: 'step', deps: [root] });
    let chain = graph.addFunction({ id: 'head', fn: 'step', deps: [root] });
    for (const id of ['c1', 'c2', 'c3']) chain = graph.addFunction({ id, fn: 'step', deps: [chain] });
    await graph.run(registry, { concurrency: 1 });
    expect(started.slice(0, 2)).toEqual(['root', 'head']);
  });

  it('weighs tasks by the durations an earlier trace recorded', async () => {
    const { registry, started } = recordingRegistry();
    const graph = new TaskGraph();
    for (const id of ['quick', 'slow', 'medium']) graph.addFunction({ id, fn: 'step' });
    await graph.run(registry);
    const trace = rawTrace(graph.toJSON());
    const durations: Record<string, number> = { quick: 1, slow: 500, medium: 50 };
    for (const task of trace.graph.tasks) {
      task.durationMs = durations[task.id];
      task.output = undefined;
      task.fingerprints = undefined;
      task.status = 'pending';
    }
    started.length = 0;
    await TaskGraph.fromJSON(trace).run(registry, { concurrency: 1 });
    expect(started).toEqual(['slow', 'medium', 'quick']);
  });
});
