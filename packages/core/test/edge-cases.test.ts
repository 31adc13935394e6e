import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deserializeError,
  FunctionRegistry,
  planReplay,
  saveTrace,
  serializeError,
  TaskGraph,
  TaskGraphError,
} from '../src/index.js';
import { rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

describe('failed tasks', () => {
  it('keep no output: a forced re-run that fails is retried on the next replay, not reused', async () => {
    const t = trackingRegistry();
    let fail = false;
    t.registry.register('maybe', (ctx) => {
      if (fail) throw new Error('now it fails');
      return ctx.taskId;
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'm', fn: 'maybe' });
    await graph.run(t.registry);
    fail = true;
    const error = (await graph
      .run(t.registry, { force: { tasks: ['m'] } })
      .catch((e) => e)) as TaskGraphError;
    const record = error.trace?.graph.tasks[0];
    expect(record?.status).toBe('failed');
    expect(record && 'output' in record).toBe(false);
    const plan = planReplay(TaskGraph.fromJSON(rawTrace(error.trace)), t.registry);
    expect(plan.tasks[0]?.stages[0]?.cause).toBe('failed');
  });

  it('a GraphTask whose nested task failed is failed, not cancelled', async () => {
    const registry = new FunctionRegistry();
    registry.register('boom', () => {
      throw new Error('inner');
    });
    const inner = new TaskGraph();
    inner.addFunction({ id: 'deep', fn: 'boom' });
    const graph = new TaskGraph();
    graph.addGraph({ id: 'outer', graph: inner });
    const error = (await graph.run(registry).catch((e) => e)) as TaskGraphError;
    expect(error.trace?.graph.tasks[0]?.status).toBe('failed');
    expect(error.message).not.toContain('more failed');
  });
});

describe('hand edits', () => {
  it('a response written as plain text is read as the assistant message', async () => {
    const t = trackingRegistry();
    const graph = new TaskGraph();
    graph.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, handler: 'scripted' });
    await graph.run(t.registry);
    t.take();
    const trace = rawTrace(graph.toJSON());
    trace.graph.tasks[0].response = 'plain text edit';
    const replay = TaskGraph.fromJSON(trace);
    await replay.run(t.registry);
    expect(replay.task('ask')?.output?.value).toBe('PLAIN TEXT EDIT');
    expect(t.take().llmCalls).toEqual([]);
  });

  it('a value written without a fingerprint is planned as reused, as the run reuses it', async () => {
    const t = trackingRegistry();
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: t.node });
    graph.addFunction({ id: 'b', fn: t.node, deps: [a] });
    await graph.run(t.registry);
    const trace = rawTrace(graph.toJSON());
    trace.graph.tasks[0].output = 'edited';
    trace.graph.tasks[1].fingerprints = undefined;
    const plan = planReplay(TaskGraph.fromJSON(trace), t.registry);
    expect(plan.tasks.map((p) => p.action)).toEqual(['reuse', 'reuse']);
  });
});

describe('file errors', () => {
  it('saveTrace to a folder that does not exist is TRACE_WRITE_FAILED naming the file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'taskgraph-')), 'missing', 'trace.json');
    await expect(saveTrace(new TaskGraph(), path)).rejects.toMatchObject({ code: 'TRACE_WRITE_FAILED' });
  });

  it('a run whose trace file cannot be written fails before running, leaving the graph as it was', async () => {
    const t = trackingRegistry();
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: t.node });
    const path = join(await mkdtemp(join(tmpdir(), 'taskgraph-')), 'missing', 'trace.json');
    await expect(graph.run(t.registry, { trace: path })).rejects.toMatchObject({
      code: 'TRACE_WRITE_FAILED',
    });
    expect(t.take().ran).toEqual([]);
    expect(graph.runInfo).toBeUndefined();
    expect(graph.running).toBe(false);
  });
});

describe('errors as data', () => {
  it('rebuild only engine codes as TaskGraphError; other codes stay plain errors with their data', () => {
    const fsError = Object.assign(new Error('no such file'), { code: 'ENOENT', errno: -2 });
    const back = deserializeError(serializeError(fsError));
    expect(back).not.toBeInstanceOf(TaskGraphError);
    expect((back as Error & { errno: number }).errno).toBe(-2);
    const ours = deserializeError(serializeError(new TaskGraphError('CYCLE', 'x', { taskPath: ['a'] })));
    expect(ours).toBeInstanceOf(TaskGraphError);
    expect((ours as TaskGraphError).taskPath).toEqual(['a']);
  });

  it('cut long texts kept in data', () => {
    const error = Object.assign(new Error('bad'), { rawText: 'x'.repeat(10_000) });
    expect(String(serializeError(error).data?.rawText).length).toBeLessThan(2_100);
  });
});
