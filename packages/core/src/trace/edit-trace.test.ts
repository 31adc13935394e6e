import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codeOf } from '../../test/helpers.js';
import { trackingRegistry } from '../../test/tracking.js';
import { planReplay, TaskGraph, type TaskGraphError } from '../index.js';
import { editTrace } from './edit-trace.js';

async function recorded() {
  const t = trackingRegistry();
  const count = t.registry.register('count', () => 3);
  const graph = new TaskGraph({ input: 'in' });
  const n = graph.addFunction({ id: 'n', fn: count, schema: z.number().int() });
  const ask = graph.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, deps: [n], handler: 'scripted' });
  graph.addFunction({ id: 'after', fn: t.node, deps: [ask] });
  const inner = new TaskGraph();
  inner.setOutput(inner.addFunction({ id: 'leaf', fn: t.registry.register('echo', (ctx) => ctx.input) }));
  graph.addGraph({ id: 'sub', graph: inner });
  await graph.run(t.registry);
  t.take();
  return { t, graph: TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON()))) };
}

describe('editTrace', () => {
  it('sets an output and returns the plan of its downstream tasks', async () => {
    const { t, graph } = await recorded();
    const plan = editTrace(graph, { task: 'n', field: 'output', value: 7 }, t.registry);
    expect(plan?.tasks.filter((p) => p.action === 'rerun').map((p) => p.taskPath.join(' > '))).toEqual([
      'ask',
      'after',
    ]);
    await graph.run(t.registry);
    expect(t.take().llmCalls).toEqual(['ask']);
  });

  it('plans without a registry, taking the stored function versions as current', async () => {
    const { graph } = await recorded();
    editTrace(graph, { task: 'ask', field: 'prompt', value: 'a new prompt' });
    const plan = planReplay(graph);
    expect(plan.tasks.filter((p) => p.action === 'rerun').map((p) => p.taskPath.join(' > '))).toEqual([
      'ask',
      'after',
    ]);
    expect(plan.llmCalls).toBe(1);
  });

  it('refuses an output that fails the task schema, and changes nothing', async () => {
    const { graph } = await recorded();
    expect(codeOf(() => editTrace(graph, { task: 'n', field: 'output', value: 2.5 }))).toBe('OUTPUT_INVALID');
    expect(graph.task('n')?.output?.value).toBe(3);
  });

  it('takes a response as text and plans only the parser and downstream', async () => {
    const { t, graph } = await recorded();
    const plan = editTrace(graph, { task: 'ask', field: 'response', value: 'edited' }, t.registry);
    expect(plan?.llmCalls).toBe(0);
    await graph.run(t.registry);
    expect(graph.task('ask')?.output?.value).toBe('EDITED');
  });

  it("edits a nested graph's input through its GraphTask", async () => {
    const { t, graph } = await recorded();
    editTrace(graph, { task: 'sub', field: 'input', value: 'new input' });
    await graph.run(t.registry);
    expect(graph.task('sub')?.output?.value).toBe('new input');
  });

  it('rejects fields a task does not have, and unknown tasks, naming the closest ids', async () => {
    const { graph } = await recorded();
    expect(codeOf(() => editTrace(graph, { task: 'n', field: 'prompt', value: 'x' }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => editTrace(graph, { task: 'sub', field: 'output', value: 1 }))).toBe(
      'INVALID_ARGUMENT',
    );
    try {
      editTrace(graph, { task: 'aks', field: 'output', value: 1 });
      expect.unreachable();
    } catch (error) {
      expect((error as TaskGraphError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toContain('ask');
    }
  });
});
