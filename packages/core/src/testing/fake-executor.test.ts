import { describe, expect, it } from 'vitest';
import { FunctionRegistry } from '../model/registry.js';
import { TaskGraph } from '../task-graph.js';
import { FakeExecutor } from './fake-executor.js';

function program() {
  const registry = new FunctionRegistry();
  const one = registry.register('one', () => 1);
  const add = registry.register('add', (_ctx, a: number, b: number) => a + b);
  const graph = new TaskGraph();
  const a = graph.addFunction({ id: 'a', fn: one });
  const b = graph.addFunction({ id: 'b', fn: one });
  graph.setOutput(graph.addFunction({ id: 'sum', fn: add, deps: [a, b] }));
  return { registry, graph };
}

describe('FakeExecutor', () => {
  it('holds independent calls at once, and hands a dependent over only once both are released', async () => {
    const { registry, graph } = program();
    const executor = new FakeExecutor();
    const run = graph.run(registry, { executor });
    await executor.whenHeld(2);
    expect(executor.held.map((held) => held.call.taskPath.join('>'))).toEqual(['a', 'b']);
    executor.held[0]?.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(executor.calls.map((call) => call.taskPath.join('>'))).toEqual(['a', 'b']);
    executor.held[0]?.release();
    await executor.whenHeld(1);
    expect(executor.held[0]?.call).toMatchObject({ type: 'function', fn: 'add', args: [1, 1] });
    executor.releaseAll();
    expect(await run).toBe(2);
  });

  it('settles a call with an outcome given by the test instead of running it', async () => {
    const { registry, graph } = program();
    const executor = new FakeExecutor();
    const run = graph.run(registry, { executor });
    await executor.whenHeld(2);
    for (const held of [...executor.held]) {
      held.settle({ ok: true, value: 20, inputRead: false, created: [], attempts: 1 });
    }
    await executor.whenHeld(1);
    executor.releaseAll();
    expect(await run).toBe(40);
  });
});

describe('an outcome whose error is data', () => {
  it('fails the task with that error, code and all, as an executor on another process would report it', async () => {
    const registry = new FunctionRegistry();
    registry.register('one', () => 1);
    const graph = new TaskGraph();
    graph.addFunction({ id: 'remote', fn: 'one' });
    const executor = new FakeExecutor();
    const run = graph.run(registry, { executor }).catch((error: unknown) => error);
    await executor.whenHeld(1);
    executor.held[0]?.settle({
      ok: false,
      error: { name: 'TaskGraphError', message: 'timed out on the worker', code: 'TIMEOUT' },
      inputRead: false,
      created: [],
      attempts: 3,
    });
    expect(await run).toMatchObject({ code: 'TASK_FAILED' });
    expect(graph.task('remote')?.error).toEqual({
      name: 'TaskGraphError',
      message: 'timed out on the worker',
      code: 'TIMEOUT',
    });
    expect(graph.task('remote')?.attempts).toBe(3);
  });
});
