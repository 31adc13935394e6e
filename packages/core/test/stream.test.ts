import { describe, expect, it } from 'vitest';
import type { LLMCallOptions, RunStreamItem } from '../src/index.js';
import { FunctionRegistry, TaskGraph } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';
import { deferred } from './helpers.js';

/** A handler that reports its reply word by word through onDelta before it resolves. */
function streamingHandler(words: string[]) {
  const seen: Array<LLMCallOptions['onDelta']> = [];
  const handler = new ScriptedHandler({
    reply: (_request, options) => {
      seen.push(options.onDelta);
      for (const word of words) options.onDelta?.(word);
      return words.join('');
    },
  });
  return { handler, seen };
}

function llmGraph() {
  const graph = new TaskGraph<string>({ input: 'colours' });
  const ask = graph.addLLM({ id: 'ask', prompt: 'builtin.input', handler: 'scripted' });
  return graph.setOutput(graph.addFunction({ id: 'upper', fn: 'upper', deps: [ask] }));
}

function registryWith(handler: ScriptedHandler) {
  const registry = new FunctionRegistry().addHandler(handler);
  registry.register('upper', (_ctx, text: string) => text.toUpperCase());
  return registry;
}

describe('TaskGraph.stream', () => {
  it('yields the run events in order, the stages and the streamed text, then the result', async () => {
    const { handler } = streamingHandler(['red ', 'green ', 'blue']);
    const items: RunStreamItem[] = [];
    for await (const item of llmGraph().stream(registryWith(handler))) items.push(item);
    const kinds = items.map((item) =>
      'taskPath' in item ? `${item.type} ${item.taskPath.join('>')}` : item.type,
    );
    expect(kinds[0]).toBe('run:start');
    expect(kinds.slice(-2)).toEqual(['run:end', 'result']);
    // Deltas emitted while the loop body has not run yet arrive joined: compare them apart.
    expect(kinds.filter((k) => k.endsWith(' ask') && !k.startsWith('llm:delta'))).toEqual([
      'task:start ask',
      'stage:start ask',
      'stage:end ask',
      'stage:start ask',
      'llm:start ask',
      'llm:usage ask',
      'stage:end ask',
      'stage:start ask',
      'stage:end ask',
      'task:done ask',
    ]);
    const firstDelta = kinds.indexOf('llm:delta ask');
    expect(firstDelta).toBeGreaterThan(kinds.indexOf('llm:start ask'));
    expect(firstDelta).toBeLessThan(kinds.indexOf('llm:usage ask'));
    const text = items.flatMap((item) => (item.type === 'llm:delta' ? [item.text] : [])).join('');
    expect(text).toBe('red green blue');
    expect(items.at(-1)).toEqual({ type: 'result', output: 'RED GREEN BLUE' });
  });

  it('gives handlers no onDelta when nobody listens to the events', async () => {
    const { handler, seen } = streamingHandler(['a', 'b']);
    await llmGraph().run(registryWith(handler));
    expect(seen).toEqual([undefined]);
  });

  it('joins the deltas of one task that wait for a slow consumer, losing no text', async () => {
    const words = Array.from({ length: 1000 }, (_, n) => `w${n} `);
    const { handler } = streamingHandler(words);
    const deltas: string[] = [];
    let listened = 0;
    for await (const item of llmGraph().stream(registryWith(handler), { onEvent: () => listened++ })) {
      if (item.type === 'llm:delta') deltas.push(item.text);
    }
    expect(deltas.join('')).toBe(words.join(''));
    expect(deltas.length).toBeLessThan(words.length);
    // The caller's own listener still sees every event.
    expect(listened).toBeGreaterThan(words.length);
  });

  it('cancels the run when the loop is left, and settles it before the loop returns', async () => {
    const registry = new FunctionRegistry();
    const started = deferred();
    let aborted = false;
    registry.register('wait', async (ctx) => {
      started.resolve();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      aborted = true;
      return 'late';
    });
    const graph = new TaskGraph();
    graph.setOutput(graph.addFunction({ id: 'slow', fn: 'wait' }));
    for await (const item of graph.stream(registry)) {
      if (item.type === 'task:start') break;
    }
    expect(aborted).toBe(true);
    expect(graph.runInfo?.status).toBe('cancelled');
    expect(graph.running).toBe(false);
  });

  it('throws the run error from the loop after the events that led to it', async () => {
    const registry = new FunctionRegistry();
    registry.register('boom', () => {
      throw new Error('no');
    });
    const graph = new TaskGraph();
    graph.setOutput(graph.addFunction({ id: 'bad', fn: 'boom' }));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of graph.stream(registry)) seen.push(item.type);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TASK_FAILED' });
    expect(seen).toContain('task:failed');
    expect(seen.at(-1)).toBe('run:end');
  });

  it('is cancelled by the caller signal like run', async () => {
    const registry = new FunctionRegistry();
    registry.register(
      'wait',
      (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)),
    );
    const graph = new TaskGraph();
    graph.setOutput(graph.addFunction({ id: 'slow', fn: 'wait' }));
    const controller = new AbortController();
    const error = await (async () => {
      for await (const item of graph.stream(registry, { signal: controller.signal })) {
        if (item.type === 'task:start') controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses options that are not an object', async () => {
    const graph = new TaskGraph();
    const iterator = graph.stream(new FunctionRegistry(), null as never);
    await expect(iterator.next()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
