import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph, type TaskGraphBase, TaskGraphError } from '../src/index.js';
import { FakeExecutor, MemoryTraceStore } from '../src/testing.js';

describe('functions registered local', () => {
  it('run in process when the run has another executor; the others go to that executor', async () => {
    const registry = new FunctionRegistry();
    const remote = registry.register('remote', () => 1);
    const local = registry.register('local', (_ctx, n: number) => n + 1, { local: true });
    expect(local.local).toBe(true);
    expect(remote.local).toBeUndefined();
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: remote });
    graph.setOutput(graph.addFunction({ id: 'b', fn: local, deps: [a] }));
    const executor = new FakeExecutor();
    const running = graph.run(registry, { executor });
    await executor.whenHeld(1);
    executor.releaseAll();
    expect(await running).toBe(2);
    expect(executor.calls.map((call) => call.type === 'function' && call.fn)).toEqual(['remote']);
  });
});

describe('FunctionRegistry.onGraphStart', () => {
  it('is called with the root graph once the trace store results are in it, and with each nested graph', async () => {
    const registry = new FunctionRegistry();
    const one = registry.register('one', () => 1);
    const seen: string[] = [];
    const hook = (graph: TaskGraphBase) => {
      const outputs = [...graph.tasks()].map((task) => `${task.id}=${String(task.output?.value)}`);
      seen.push(outputs.join(','));
    };
    registry.onGraphStart(hook).onGraphStart(hook);
    const build = () => {
      const inner = new TaskGraph();
      inner.setOutput(inner.addFunction({ id: 'x', fn: one }));
      const graph = new TaskGraph();
      graph.addFunction({ id: 'a', fn: one });
      graph.setOutput(graph.addGraph({ id: 'g', graph: inner }));
      return graph;
    };
    const store = new MemoryTraceStore();
    await build().run(registry, { trace: store });
    expect(seen).toEqual(['a=undefined,g=undefined', 'x=undefined']);
    seen.length = 0;
    // A fresh graph resumed from the store: the hooks see the stored results, the nested graph's too.
    await build().run(registry, { trace: store });
    expect(seen).toEqual(['a=1,g=1', 'x=1']);
  });

  it('is carried by include, once', async () => {
    const calls: number[] = [];
    const hook = () => {
      calls.push(1);
    };
    const base = new FunctionRegistry().onGraphStart(hook);
    const registry = new FunctionRegistry().onGraphStart(hook).include(base);
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: registry.builtins.input });
    await graph.run(registry);
    expect(calls).toHaveLength(1);
  });

  it('a hook that throws stops the run with GRAPH_HOOK_FAILED before any task runs, naming the graph', async () => {
    const registry = new FunctionRegistry();
    let ran = 0;
    const count = registry.register('count', () => ++ran);
    registry.onGraphStart((graph) => {
      if (graph.task('x')) throw new Error('no index for x');
    });
    const inner = new TaskGraph();
    inner.addFunction({ id: 'x', fn: count });
    const graph = new TaskGraph();
    graph.addGraph({ id: 'g', graph: inner });
    const error = await graph.run(registry).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TaskGraphError);
    const failure = error as TaskGraphError;
    expect(failure.code).toBe('GRAPH_HOOK_FAILED');
    expect(failure.taskPath).toEqual(['g']);
    expect(failure.message).toContain('no index for x');
    expect(failure.trace).toBeDefined();
    expect(ran).toBe(0);
  });

  it('refuses a hook that is not a function', () => {
    const error = (() => {
      try {
        new FunctionRegistry().onGraphStart('index' as never);
      } catch (failure) {
        return failure as TaskGraphError;
      }
    })();
    expect(error?.code).toBe('INVALID_ARGUMENT');
  });
});
