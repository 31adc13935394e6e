import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph, type TaskGraphError } from '../src/index.js';

describe('function task retries and timeouts', () => {
  it('retries a task that throws until it succeeds, and records the attempts', async () => {
    const registry = new FunctionRegistry();
    let calls = 0;
    registry.register('flaky', () => {
      calls++;
      if (calls < 3) throw new Error(`failure ${calls}`);
      return 'ok';
    });
    const graph = new TaskGraph();
    graph.setOutput(graph.addFunction({ id: 'f', fn: 'flaky', retries: 2 }));
    expect(await graph.run(registry, { retryBackoffMs: 0 })).toBe('ok');
    expect(calls).toBe(3);
    expect(graph.toJSON().graph.tasks[0]).toMatchObject({ status: 'done', attempts: 3, retries: 2 });
  });

  it('fails with the last error once the retries run out', async () => {
    const registry = new FunctionRegistry();
    let calls = 0;
    registry.register('broken', () => {
      calls++;
      throw new Error(`failure ${calls}`);
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'f', fn: 'broken' });
    const error = (await graph
      .run(registry, { retries: 1, retryBackoffMs: 0 })
      .catch((e) => e)) as TaskGraphError;
    expect(calls).toBe(2);
    expect(error.trace?.graph.tasks[0]?.error?.message).toBe('failure 2');
  });

  it('fails an attempt past its timeout with TIMEOUT, firing its signal, and retries it', async () => {
    const registry = new FunctionRegistry();
    const seen: string[] = [];
    registry.register('slow', async (ctx) => {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      seen.push((ctx.signal.reason as TaskGraphError).code);
      return 'never used';
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 's', fn: 'slow', timeoutMs: 5, retries: 1 });
    const error = (await graph.run(registry, { retryBackoffMs: 0 }).catch((e) => e)) as TaskGraphError;
    expect((error.cause as TaskGraphError).code).toBe('TIMEOUT');
    expect(seen).toEqual(['TIMEOUT', 'TIMEOUT']);
    expect(error.trace?.graph.tasks[0]?.attempts).toBe(2);
  });

  it('times out a task that ignores its signal', async () => {
    const registry = new FunctionRegistry();
    registry.register('deaf', () => new Promise(() => {}));
    const graph = new TaskGraph();
    graph.addFunction({ id: 'd', fn: 'deaf' });
    const error = (await graph.run(registry, { timeoutMs: 5 }).catch((e) => e)) as TaskGraphError;
    expect((error.cause as TaskGraphError).code).toBe('TIMEOUT');
  });

  it('rejects a negative retry count with INVALID_ARGUMENT naming the task', () => {
    expect(() => new TaskGraph().addFunction({ id: 'x', fn: 'f', retries: -1 })).toThrow(/task "x"/);
  });
});
