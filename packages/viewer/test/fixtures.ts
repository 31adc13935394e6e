import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '@taskgraph/core';
import { FunctionRegistry, saveTrace, TaskGraph, TaskGraphError } from '@taskgraph/core';
import { ScriptedHandler } from '@taskgraph/core/testing';
import { buildGraph } from '@taskgraph/example-quickstart/src/graph.js';
import { z } from 'zod';

/** A temporary folder for a test's trace files, removed by `remove()`. */
export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'taskgraph-viewer-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The quickstart's trace, as `pnpm demo` writes it to traces/quickstart.json: its graph run with
 * `registry` (the quickstart's functions and its offline LLM handler). Recorded afresh, so that it
 * matches the fingerprints of the core under test.
 */
export async function quickstartTrace(dir: string, registry: FunctionRegistry): Promise<string> {
  const graph = buildGraph();
  await graph.run(registry);
  const path = join(dir, 'quickstart.json');
  await saveTrace(graph, path);
  return path;
}

/**
 * A run with a nested graph and a failure: `prepare` feeds the GraphTask `inner` (tasks `a` then `b`),
 * `after` reads its output, and `flaky` throws (the run goes on with continueOnError).
 */
export async function nestedTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  const registry = new FunctionRegistry();
  const prepare = registry.register('prepare', (ctx) => ({
    words: (ctx.input as { words: string[] }).words,
  }));
  const upper = registry.register('upper', (ctx) =>
    (ctx.input as { words: string[] }).words.map((w) => w.toUpperCase()),
  );
  const count = registry.register('count', (_ctx, words: string[]) => ({ count: words.length, words }));
  const innerInput = registry.register('innerInput', (_ctx, prepared: { words: string[] }) => prepared);
  const summarize = registry.register(
    'summarize',
    (_ctx, result: { count: number }) => `${result.count} words`,
  );
  const flaky = registry.register('flaky', (_ctx, _prepared: unknown) => {
    throw new Error('the flaky service answered 503');
  });
  const inner = new TaskGraph();
  const a = inner.addFunction({ id: 'a', fn: upper });
  inner.setOutput(inner.addFunction({ id: 'b', fn: count, deps: [a] }));

  const graph = new TaskGraph({ input: { words: ['graph', 'of', 'tasks'] } });
  const prepared = graph.addFunction({ id: 'prepare', fn: prepare });
  graph.addGraph({ id: 'inner', graph: inner, input: innerInput.id, deps: [prepared.id] });
  graph.addFunction({ id: 'flaky', fn: flaky, deps: [prepared] });
  graph.setOutput(graph.addFunction({ id: 'after', fn: summarize.id, deps: ['inner'] }));
  const path = join(dir, 'nested.json');
  await saveTrace(await runSettled(graph, registry), path);
  return { path, registry };
}

/** A random DAG of `size` function tasks, each with up to three dependencies among earlier ones, run once. */
export async function largeTrace(
  dir: string,
  size: number,
): Promise<{ path: string; registry: FunctionRegistry; graph: TaskGraph }> {
  const registry = new FunctionRegistry();
  const sum = registry.register('sum', (_ctx, ...values: number[]) => values.reduce((a, b) => a + b, 1));
  const graph = new TaskGraph();
  let seed = 42;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  for (let i = 0; i < size; i++) {
    const deps = new Set<string>();
    const count = i === 0 ? 0 : Math.floor(random() * 4);
    for (let d = 0; d < count; d++) deps.add(`t${Math.floor(random() * i)}`);
    graph.addFunction({ id: `t${i}`, fn: sum, deps: [...deps] });
  }
  graph.setOutput(`t${size - 1}`);
  await graph.run(registry);
  const path = join(dir, 'large.json');
  await saveTrace(graph, path);
  return { path, registry, graph };
}

/** A task whose output must be a list of strings (a zod schema, stored as JSON Schema in the trace). */
export async function schemaTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  const registry = new FunctionRegistry();
  const tags = registry.register('tags', () => ['red', 'green']);
  const graph = new TaskGraph();
  graph.setOutput(graph.addFunction({ id: 'tags', fn: tags, schema: z.array(z.string()) }));
  await graph.run(registry);
  const path = join(dir, 'schema.json');
  await saveTrace(graph, path);
  return { path, registry };
}

/** Writes `text` as a trace file (for broken traces). */
export async function writeTraceText(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function runSettled(graph: TaskGraph, registry: FunctionRegistry) {
  try {
    await graph.run(registry, { continueOnError: true });
    return graph.toJSON();
  } catch (error) {
    if (error instanceof TaskGraphError && error.trace) return error.trace;
    throw error;
  }
}

/** Three function tasks in a chain, run once: `a` is 1, `b` is a + 1, `c` is b + 1. */
export async function chainTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  const registry = new FunctionRegistry();
  const one = registry.register('one', () => 1);
  const inc = registry.register('inc', (_ctx, x: number) => x + 1);
  const graph = new TaskGraph();
  const a = graph.addFunction({ id: 'a', fn: one });
  const b = graph.addFunction({ id: 'b', fn: inc, deps: [a] });
  graph.setOutput(graph.addFunction({ id: 'c', fn: inc, deps: [b] }));
  await graph.run(registry);
  const path = join(dir, 'chain.json');
  await saveTrace(graph, path);
  return { path, registry };
}

/**
 * A trace never run: `first` returns at once, `block` waits until its task is cancelled. A replay of it
 * runs until stopped.
 */
export async function blockingTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  const registry = new FunctionRegistry();
  const first = registry.register('first', () => 'ready');
  const block = registry.register(
    'block',
    (ctx, _ready: string) =>
      new Promise<never>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      }),
  );
  const graph = new TaskGraph();
  graph.setOutput(
    graph.addFunction({ id: 'block', fn: block, deps: [graph.addFunction({ id: 'first', fn: first })] }),
  );
  const path = join(dir, 'blocking.json');
  await saveTrace(graph, path);
  return { path, registry };
}

/**
 * A run to read on a timeline: `left` and `right` run at once (each waits until both have started),
 * `flaky` fails its first attempt and succeeds on the retry, and `ask` is an LLM call whose prompt is
 * a conversation with a tool call.
 */
export async function timelineTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  let started = 0;
  let bothStarted: () => void = () => undefined;
  const barrier = new Promise<void>((resolve) => {
    bothStarted = resolve;
  });
  const meet = async () => {
    started++;
    if (started === 2) bothStarted();
    await barrier;
    return started;
  };
  let flakyCalls = 0;
  const handler = new ScriptedHandler({ reply: () => 'The invoice INV-1001 is valid.\nNothing to fix.' });
  const registry = new FunctionRegistry().addHandler(handler);
  const left = registry.register('left', meet);
  const right = registry.register('right', meet);
  const flaky = registry.register('flaky', (_ctx, a: number, b: number) => {
    flakyCalls++;
    if (flakyCalls === 1) throw new Error('the service answered 503');
    return a + b;
  });
  const askPrompt = registry.register('askPrompt', (_ctx, total: number): ChatMessage[] => [
    { role: 'system', content: 'You check invoices.\nAnswer in two lines.' },
    { role: 'user', content: `Check INV-1001 (total ${total}).` },
    {
      role: 'assistant',
      content: null,
      toolCalls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'check_invoice', arguments: '{"id":"INV-1001"}' },
        },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: '{"valid":true}' },
  ]);
  const graph = new TaskGraph();
  const a = graph.addFunction({ id: 'left', fn: left });
  const b = graph.addFunction({ id: 'right', fn: right });
  const sum = graph.addFunction({ id: 'flaky', fn: flaky, deps: [a, b], retries: 1 });
  graph.setOutput(graph.addLLM({ id: 'ask', prompt: askPrompt, handler: handler.id, deps: [sum] }));
  await graph.run(registry);
  const path = join(dir, 'timeline.json');
  await saveTrace(graph, path);
  return { path, registry };
}

/** A run in which one task, `queue`, creates `size - 1` tasks while running (as a task queue does). */
export async function createdTrace(dir: string, size: number): Promise<{ path: string }> {
  const registry = new FunctionRegistry();
  const item = registry.register('item', (ctx) => ctx.args);
  const queue = registry.register('queue', (ctx) => {
    for (let i = 1; i < size; i++) ctx.addFunction({ id: `item-${i}`, fn: item, args: i });
    return size - 1;
  });
  const graph = new TaskGraph();
  graph.setOutput(graph.addFunction({ id: 'queue', fn: queue }));
  await graph.run(registry);
  const path = join(dir, 'created.json');
  await saveTrace(graph, path);
  return { path };
}

/** A draft (function), a person's approval of it (a human task that waits), and a publish step after it. */
export async function humanTrace(dir: string): Promise<{ path: string; registry: FunctionRegistry }> {
  const registry = new FunctionRegistry();
  const draft = registry.register('draft', () => 'a draft about rivers');
  const ask = registry.register('ask', (_ctx, text: string) => `Publish "${text}"?`);
  const publish = registry.register('publish', (_ctx, text: string, verdict: { ok: boolean }) =>
    verdict.ok ? `published: ${text}` : 'withheld',
  );
  const graph = new TaskGraph();
  const written = graph.addFunction({ id: 'draft', fn: draft });
  const approve = graph.addHuman({
    id: 'approve',
    question: ask,
    deps: [written],
    parser: z.object({ ok: z.boolean() }),
  });
  graph.setOutput(graph.addFunction({ id: 'publish', fn: publish, deps: [written, approve] }));
  const trace = await runSettled(graph, registry);
  const path = join(dir, 'human.json');
  await saveTrace(trace, path);
  return { path, registry };
}
