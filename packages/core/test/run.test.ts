import { describe, expect, it } from 'vitest';
import type { LimitExceededError, RunEvent } from '../src/index.js';
import { FunctionRegistry, TaskGraph, type TaskGraphError } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';
import { barrier, countingRegistry, deferred, echoHandler, rejection } from './helpers.js';

describe('TaskGraph.run scheduling', () => {
  it('runs independent tasks at the same time', async () => {
    const registry = new FunctionRegistry();
    const meet = barrier(3);
    const wait = registry.register('wait', async (ctx) => {
      await meet();
      return ctx.taskId;
    });
    const graph = new TaskGraph();
    const tasks = ['a', 'b', 'c'].map((id) => graph.addFunction({ id, fn: wait }));
    graph.setOutput(graph.addFunction({ id: 'all', fn: registry.builtins.list, deps: tasks }));
    expect(await graph.run(registry)).toEqual(['a', 'b', 'c']);
  });

  it('never starts a task before its dependencies are done', async () => {
    const registry = new FunctionRegistry();
    const finished = new Set<string>();
    const seenMissing: string[] = [];
    const step = registry.register('step', async (ctx, ...deps: string[]) => {
      const task = ctx.taskId;
      for (const dep of deps) if (!finished.has(dep)) seenMissing.push(`${task} before ${dep}`);
      await new Promise((resolve) => setTimeout(resolve, (task.charCodeAt(0) * 7) % 5));
      finished.add(task);
      return task;
    });
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: step });
    const b = graph.addFunction({ id: 'b', fn: step, deps: [a] });
    const c = graph.addFunction({ id: 'c', fn: step, deps: [a] });
    const d = graph.addFunction({ id: 'd', fn: step, deps: [b, c] });
    graph.addFunction({ id: 'e', fn: step, deps: [d, a] });
    await graph.run(registry);
    expect(seenMissing).toEqual([]);
    expect(finished.size).toBe(5);
  });

  it('passes positional dependencies in order, then named ones as an object', async () => {
    const registry = new FunctionRegistry();
    const value = registry.register('value', (ctx) => ctx.taskId.toUpperCase());
    const collect = registry.register(
      'collect',
      (_ctx, x: string, y: string, named: { p: string; q: string }) => ({
        x,
        y,
        named,
      }),
    );
    const graph = new TaskGraph();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => graph.addFunction({ id, fn: value }));
    const out = graph.addFunction({
      id: 'out',
      fn: collect,
      deps: [b as never, a as never],
      namedDeps: { q: c!, p: d! },
    });
    expect(await graph.setOutput(out).run(registry)).toEqual({ x: 'B', y: 'A', named: { p: 'D', q: 'C' } });
  });

  it('runs a chain of 50,000 synchronous tasks without growing the stack', async () => {
    const registry = new FunctionRegistry();
    const inc = registry.register('inc', (_ctx, n?: number) => (n ?? 0) + 1);
    const graph = new TaskGraph();
    let last = graph.addFunction({ id: 't0', fn: 'inc' });
    for (let i = 1; i < 50_000; i++)
      last = graph.addFunction({ id: `t${i}`, fn: inc, deps: [last as never] });
    expect(await graph.setOutput(last).run(registry)).toBe(50_000);
  });

  it('keeps function tasks in flight within `concurrency`', async () => {
    const registry = new FunctionRegistry();
    let inFlight = 0;
    let most = 0;
    const work = registry.register('work', async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    });
    const graph = new TaskGraph();
    for (let i = 0; i < 20; i++) graph.addFunction({ id: `w${i}`, fn: work });
    await graph.run(registry, { concurrency: 3 });
    expect(most).toBe(3);
  });

  it('keeps LLM calls in flight within `llmConcurrency`, nested graphs included', async () => {
    const registry = new FunctionRegistry();
    let inFlight = 0;
    let most = 0;
    registry.addHandler(
      new ScriptedHandler({
        reply: async () => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          return 'ok';
        },
      }),
    );
    const prompt = registry.register('prompt', (ctx) => ctx.taskId);
    const inner = new TaskGraph();
    for (let i = 0; i < 6; i++) inner.addLLM({ id: `in${i}`, prompt, handler: 'scripted' });
    const graph = new TaskGraph();
    for (let i = 0; i < 6; i++) graph.addLLM({ id: `out${i}`, prompt, handler: 'scripted' });
    graph.addGraph({ id: 'nested', graph: inner });
    const events: RunEvent[] = [];
    await graph.run(registry, { llmConcurrency: 2, onEvent: (e) => events.push(e) });
    expect(most).toBe(2);
    expect(events.filter((e) => e.type === 'llm:start')).toHaveLength(12);
    expect(events.filter((e) => e.type === 'llm:usage')).toHaveLength(12);
  });
  it('lets many calls in flight listen to the run signal without a listener-leak warning', async () => {
    const registry = new FunctionRegistry();
    const together = barrier(16);
    registry.addHandler(
      new ScriptedHandler({
        reply: async (_request, options) => {
          const onAbort = () => {};
          options.signal.addEventListener('abort', onAbort);
          await together();
          options.signal.removeEventListener('abort', onAbort);
          return 'ok';
        },
      }),
    );
    const prompt = registry.register('prompt', (ctx) => ctx.taskId);
    const graph = new TaskGraph();
    for (let i = 0; i < 16; i++) graph.addLLM({ id: `q${i}`, prompt, handler: 'scripted' });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await graph.run(registry, { llmConcurrency: 16 });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});

describe('TaskGraph.run failures', () => {
  it('aborts tasks in flight and keeps finished outputs in the trace', async () => {
    const registry = new FunctionRegistry();
    const started = deferred();
    let sawAbort = false;
    registry.register('ok', () => 'fine');
    registry.register('slow', async (ctx) => {
      started.resolve();
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      sawAbort = true;
      throw ctx.signal.reason;
    });
    registry.register('boom', async () => {
      await started.promise;
      throw new Error('boom');
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'ok', fn: 'ok' });
    graph.addFunction({ id: 'slow', fn: 'slow' });
    const boom = graph.addFunction({ id: 'boom', fn: 'boom' });
    graph.addFunction({ id: 'after', fn: 'ok', deps: [boom] });
    const error = await rejection(graph.run(registry));
    expect(error.code).toBe('TASK_FAILED');
    expect(error.taskPath).toEqual(['boom']);
    expect(sawAbort).toBe(true);
    const byId = Object.fromEntries(error.trace!.graph.tasks.map((t) => [t.id, t]));
    expect(byId.ok?.status).toBe('done');
    expect(byId.ok?.output).toBe('fine');
    expect(byId.boom?.status).toBe('failed');
    expect(byId.boom?.error?.message).toBe('boom');
    expect(byId.slow?.status).toBe('cancelled');
    expect(byId.after?.status).toBe('pending');
    expect(error.trace!.run?.status).toBe('failed');
  });

  it('with continueOnError finishes independent branches and skips dependents', async () => {
    const registry = new FunctionRegistry();
    registry.register('ok', (ctx) => ctx.taskId);
    registry.register('boom', () => {
      throw new Error('boom');
    });
    const graph = new TaskGraph();
    const boom = graph.addFunction({ id: 'boom', fn: 'boom' });
    const child = graph.addFunction({ id: 'child', fn: 'ok', deps: [boom] });
    graph.addFunction({ id: 'grandchild', fn: 'ok', deps: [child] });
    const other = graph.addFunction({ id: 'other', fn: 'ok' });
    graph.addFunction({ id: 'other2', fn: 'ok', deps: [other] });
    const error = await rejection(graph.run(registry, { continueOnError: true }));
    expect(error.code).toBe('TASK_FAILED');
    const status = Object.fromEntries(error.trace!.graph.tasks.map((t) => [t.id, t.status]));
    expect(status).toEqual({
      boom: 'failed',
      child: 'skipped',
      grandchild: 'skipped',
      other: 'done',
      other2: 'done',
    });
  });

  it('rejects with CANCELLED when the caller aborts, and the signal reaches tasks', async () => {
    const registry = new FunctionRegistry();
    const controller = new AbortController();
    registry.register('wait', async (ctx) => {
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 1));
      ctx.signal.throwIfAborted();
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'w', fn: 'wait' });
    const error = await rejection(graph.run(registry, { signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(error.trace!.graph.tasks[0]?.status).toBe('cancelled');
  });

  it('names the registered ids when a function id is unknown, before anything runs', async () => {
    const { registry, total } = countingRegistry();
    registry.register('known', () => 1);
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: 'known' });
    graph.addFunction({ id: 'b', fn: 'missing' });
    const error = await rejection(graph.run(registry));
    expect(error.code).toBe('UNKNOWN_FUNCTION');
    expect(error.message).toContain('known');
    expect(error.taskPath).toEqual(['b']);
    expect(total()).toBe(0);
  });

  it('fails a task whose output fails its schema with OUTPUT_INVALID', async () => {
    const { z } = await import('zod');
    const registry = new FunctionRegistry();
    const bad = registry.register('bad', () => ({ n: 'not a number' }) as unknown as { n: number });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: bad, schema: z.object({ n: z.number() }) });
    const error = await rejection(graph.run(registry));
    expect((error.cause as TaskGraphError).code).toBe('OUTPUT_INVALID');
  });

  it('rejects an invalid option with INVALID_ARGUMENT', async () => {
    const error = await rejection(new TaskGraph().run(new FunctionRegistry(), { concurrency: 0 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('tasks added while running', () => {
  it('run after their creator and are recorded with createdBy', async () => {
    const registry = new FunctionRegistry();
    const events: RunEvent[] = [];
    const double = registry.register('double', (_ctx, n: number) => n * 2);
    registry.register('plan', (ctx) => {
      for (let i = 0; i < 3; i++) ctx.addFunction({ id: `part-${i}`, fn: double, deps: ['seed'] });
      return 'planned';
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'seed', fn: registry.register('seed', () => 21) });
    graph.addFunction({ id: 'plan', fn: 'plan' });
    await graph.run(registry, { onEvent: (e) => events.push(e) });
    const trace = graph.toJSON();
    const children = trace.graph.tasks.filter((t) => t.createdBy === 'plan');
    expect(children.map((t) => [t.id, t.status, t.output])).toEqual([
      ['plan/part-0', 'done', 42],
      ['plan/part-1', 'done', 42],
      ['plan/part-2', 'done', 42],
    ]);
    const order = events
      .filter((e) => e.type === 'task:done')
      .map((e) => (e as { taskPath: string[] }).taskPath.join('>'));
    expect(order.indexOf('plan')).toBeLessThan(order.indexOf('plan/part-0'));
    expect(events[0]).toMatchObject({ type: 'run:start', tasks: 2 });
  });

  it('stop the run with LIMIT_EXCEEDED past maxTasks, even with continueOnError', async () => {
    const registry = new FunctionRegistry();
    registry.register('spawn', (ctx) => {
      ctx.addFunction({ id: 'again', fn: 'spawn' });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'spawn' });
    const error = await rejection(graph.run(registry, { maxTasks: 10, continueOnError: true }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.trace!.graph.tasks.length).toBeLessThanOrEqual(10);
  });

  it('stop the run with LIMIT_EXCEEDED past maxGenerations', async () => {
    const registry = new FunctionRegistry();
    registry.register('spawn', (ctx) => {
      ctx.addFunction({ id: 'again', fn: 'spawn', args: Number(ctx.args ?? 0) + 1 });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'spawn' });
    const error = await rejection(graph.run(registry, { maxGenerations: 4 }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect((error as LimitExceededError).limit).toBe('maxGenerations');
    expect(error.trace!.graph.tasks.map((t) => t.id)).toEqual([
      'root',
      'root/again',
      'root/again@2',
      'root/again@3',
      'root/again@4',
    ]);
  });

  it('stop the run with LIMIT_EXCEEDED when a task creates a copy of a creation ancestor', async () => {
    const registry = new FunctionRegistry();
    let calls = 0;
    registry.register('spawn', (ctx) => {
      calls++;
      // The same function with the same args and inputs as its creator: it would never end.
      ctx.addFunction({ id: 'again', fn: 'spawn', args: ctx.args ?? null });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'spawn', args: null });
    const error = await rejection(graph.run(registry, { continueOnError: true }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain('creation loop');
    expect(calls).toBe(1);
  });

  it('a limit reached in ctx.addTask stops the run even when the task catches it', async () => {
    const registry = new FunctionRegistry();
    registry.register('noop', () => 0);
    registry.register('greedy', (ctx) => {
      for (let i = 0; i < 100; i++) {
        try {
          ctx.addFunction({ id: `c${i}`, fn: 'noop', args: i });
        } catch {
          // Swallowed on purpose: the run must stop anyway.
        }
      }
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'greedy' });
    const error = await rejection(graph.run(registry, { maxTasks: 5 }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.trace!.graph.tasks.length).toBeLessThanOrEqual(5);
  });

  it('reject a second child with the same id from one creator', async () => {
    const registry = new FunctionRegistry();
    registry.register('noop', () => 0);
    registry.register('twice', (ctx) => {
      ctx.addFunction({ id: 'x', fn: 'noop' });
      ctx.addFunction({ id: 'x', fn: 'noop' });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'c', fn: 'twice' });
    const error = await rejection(graph.run(registry));
    expect((error.cause as TaskGraphError).code).toBe('DUPLICATE_TASK');
  });
});

describe('nested graphs', () => {
  it('run with the input their formatter gives and nest in the trace', async () => {
    const registry = new FunctionRegistry();
    registry.addHandler(echoHandler());
    const shout = registry.register('shout', (ctx) => String(ctx.input).toUpperCase());
    const prompt = registry.register('prompt', (_ctx, s: string) => `say ${s}`);
    const inner = new TaskGraph();
    const loud = inner.addFunction({ id: 'loud', fn: shout });
    inner.setOutput(inner.addLLM({ id: 'ask', prompt, deps: [loud], handler: 'scripted' }));
    const graph = new TaskGraph({ input: 'outer' });
    const word = graph.addFunction({ id: 'word', fn: registry.register('word', () => 'hello') });
    const nested = graph.addGraph({
      id: 'nested',
      graph: inner,
      input: registry.register('pass', (_ctx, w: string) => w),
      deps: [word],
    });
    graph.setOutput(nested);
    expect(await graph.run(registry)).toBe('say HELLO -> reply');
    const record = graph.toJSON().graph.tasks.find((t) => t.id === 'nested');
    expect(record?.kind).toBe('graph');
    if (record?.kind !== 'graph') throw new Error('expected a graph record');
    expect(record.graph.input).toBe('hello');
    expect(record.graph.tasks.map((t) => [t.id, t.status])).toEqual([
      ['loud', 'done'],
      ['ask', 'done'],
    ]);
  });

  it('report a failure inside with the nested task path', async () => {
    const registry = new FunctionRegistry();
    registry.register('boom', () => {
      throw new Error('inner boom');
    });
    const inner = new TaskGraph();
    inner.addFunction({ id: 'deep', fn: 'boom' });
    const graph = new TaskGraph();
    graph.addGraph({ id: 'outer', graph: inner });
    const error = await rejection(graph.run(registry));
    expect(error.code).toBe('TASK_FAILED');
    expect(error.taskPath).toEqual(['outer', 'deep']);
  });
});
