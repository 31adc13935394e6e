import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskGraphError } from '../model/errors.js';
import { FunctionRegistry } from '../model/registry.js';
import type { TaskExecutor } from '../run/task-executor.js';
import { TaskGraph } from '../task-graph.js';
import { ScriptedHandler } from './scripted-handler.js';

/** An executor under test and what it needs to run the suite's program (a remote one: workers loading it). */
export interface ExecutorFixture {
  executor: TaskExecutor;
  /** Called after each test (stop workers, close connections). */
  close?(): Promise<void>;
}

/**
 * The program every executor runs in the suite: the functions and handler it registers. A remote
 * executor's workers build their registry with it, so both sides hold the same functions.
 */
export function conformanceRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry().addHandler(
    new ScriptedHandler({ id: 'echo', reply: (request) => `echo: ${String(request.prompt)}` }),
  );
  registry.register('add', (_ctx, a: number, b: number) => a + b);
  registry.register('named', (_ctx, a: number, named: { x: number }) => a * named.x);
  registry.register('double', async (_ctx, n: number) => 2 * n);
  registry.register('fromInput', (ctx) => (ctx.input as { n: number }).n);
  registry.register('withArgs', (ctx) => ctx.args);
  registry.register('fails', () => {
    throw new Error('it failed');
  });
  let flaky = 0;
  registry.register('flaky', () => {
    flaky++;
    if (flaky % 2 === 1) throw new Error('first attempt fails');
    return 'second attempt';
  });
  registry.register('creates', (ctx, n: number) => {
    const first = ctx.addFunction({ id: 'first', fn: 'double', deps: [ctx.taskId] });
    ctx.addFunction({ id: 'second', fn: 'add', deps: [first, ctx.taskId] });
    return n;
  });
  registry.register('prompt', (_ctx, n: number) => `n is ${n}`);
  // Registered local: runs in the process that runs the graph, whichever executor the run has.
  registry.register('runnerPid', () => process.pid, { local: true });
  registry.register('slow', async (ctx) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return 'stopped';
  });
  return registry;
}

/**
 * The tests every TaskExecutor passes, through `graph.run(registry, { executor })`. An implementation runs
 * them in a few lines: `executorConformance('MyExecutor', async () => ({ executor: new MyExecutor() }))`.
 */
export function executorConformance(
  name: string,
  make: () => ExecutorFixture | Promise<ExecutorFixture>,
): void {
  describe(`TaskExecutor conformance: ${name}`, () => {
    const withExecutor = async <T>(test: (executor: TaskExecutor) => Promise<T>): Promise<T> => {
      const fixture = await make();
      try {
        return await test(fixture.executor);
      } finally {
        await fixture.close?.();
      }
    };

    it('runs positional and named dependencies, sync and async functions', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph({ input: { n: 3 } });
        const a = graph.addFunction({ id: 'a', fn: 'fromInput' });
        const b = graph.addFunction({ id: 'b', fn: 'double', deps: [a] });
        const c = graph.addFunction({ id: 'c', fn: 'add', deps: [a, b] });
        const d = graph.addFunction({ id: 'd', fn: 'named', deps: [c], namedDeps: { x: a } });
        graph.setOutput(d);
        expect(await graph.run(conformanceRegistry(), { executor })).toBe(27);
      });
    });

    it('reports which calls read the graph input, so a changed input re-runs only those', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph({ input: { n: 1 } });
        graph.addFunction({ id: 'reads', fn: 'fromInput' });
        graph.addFunction({ id: 'args', fn: 'withArgs', args: { label: 'x' } });
        const registry = conformanceRegistry();
        await graph.run(registry, { executor });
        expect(graph.task('args')?.output?.value).toEqual({ label: 'x' });
        graph.setInput({ n: 2 });
        const events: string[] = [];
        await graph.run(registry, {
          executor,
          onEvent: (e) => e.type === 'task:start' && events.push(e.taskPath.join('>')),
        });
        expect(events).toEqual(['reads']);
      });
    });

    it('runs a function registered local in the process that runs the graph', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        graph.setOutput(graph.addFunction({ id: 'pid', fn: 'runnerPid' }));
        expect(await graph.run(conformanceRegistry(), { executor })).toBe(process.pid);
      });
    });

    it('adds the tasks a call creates through its context', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        const root = graph.addFunction({ id: 'root', fn: 'withArgs', args: 5 });
        graph.addFunction({ id: 'maker', fn: 'creates', deps: [root] });
        await graph.run(conformanceRegistry(), { executor });
        expect(graph.task('maker/first')?.output?.value).toBe(10);
        expect(graph.task('maker/second')?.output?.value).toBe(15);
        expect(graph.task('maker/second')?.createdBy).toBe('maker');
      });
    });

    it('returns a failure as data: the run names the task and keeps the error', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        graph.addFunction({ id: 'bad', fn: 'fails' });
        const error = (await graph
          .run(conformanceRegistry(), { executor })
          .catch((e) => e)) as TaskGraphError;
        expect(error.code).toBe('TASK_FAILED');
        expect(error.taskPath).toEqual(['bad']);
        expect(graph.task('bad')?.error?.message).toBe('it failed');
      });
    });

    it('applies the attempt policy of a call', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        graph.addFunction({ id: 'flaky', fn: 'flaky', retries: 1 });
        await graph.run(conformanceRegistry(), { executor, retryBackoffMs: 0 });
        expect(graph.task('flaky')?.output?.value).toBe('second attempt');
        expect(graph.task('flaky')?.attempts).toBe(2);
      });
    });

    it('checks an output against its schema after the call', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        graph.addFunction({ id: 'text', fn: 'withArgs', args: 'not a number', schema: z.number() });
        const error = (await graph
          .run(conformanceRegistry(), { executor })
          .catch((e) => e)) as TaskGraphError;
        expect(graph.task('text')?.error?.code).toBe('OUTPUT_INVALID');
        expect(error.code).toBe('TASK_FAILED');
      });
    });

    it('makes LLM calls, and a replay makes none', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        const n = graph.addFunction({ id: 'n', fn: 'withArgs', args: 4 });
        const llm = graph.addLLM({ id: 'ask', prompt: 'prompt', deps: [n], handler: 'echo' });
        graph.setOutput(llm);
        const registry = conformanceRegistry();
        expect(await graph.run(registry, { executor })).toBe('echo: n is 4');
        const again = TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
        let calls = 0;
        await again.run(registry, { executor, onEvent: (e) => e.type === 'llm:start' && calls++ });
        expect(calls).toBe(0);
      });
    });

    it('stops calls in flight when the run is cancelled', async () => {
      await withExecutor(async (executor) => {
        const graph = new TaskGraph();
        graph.addFunction({ id: 'slow', fn: 'slow' });
        const controller = new AbortController();
        const run = graph.run(conformanceRegistry(), { executor, signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        const error = (await run.catch((e) => e)) as TaskGraphError;
        expect(error.code).toBe('CANCELLED');
      });
    });
  });
}
