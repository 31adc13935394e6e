import { describe, expect, it } from 'vitest';
import type { LimitExceededError, TaskContext, TraceDocument } from '../src/index.js';
import { createdTaskId, diffTraces, FunctionRegistry, TaskGraph } from '../src/index.js';
import type { RawJson } from './helpers.js';
import { countingRegistry, rawTrace, rejection } from './helpers.js';

/** `gen` adds its successor, named "next", until `left` reaches 1; each output counts the generations. */
function chainRegistry() {
  const counted = countingRegistry();
  counted.registry.register('gen', (ctx: TaskContext, previous?: number) => {
    counted.count('gen');
    const left = (ctx.args as { left: number }).left;
    if (left > 1) ctx.addFunction({ id: 'next', fn: 'gen', deps: [ctx.taskId], args: { left: left - 1 } });
    return (previous ?? 0) + 1;
  });
  return counted;
}

function chain(generations: number): TaskGraph {
  const graph = new TaskGraph();
  graph.addFunction({ id: 'start', fn: 'gen', args: { left: generations } });
  return graph;
}

describe('ids of tasks created by created tasks', () => {
  it('name the chain, the name and the generation, never the ancestry', async () => {
    const { registry } = chainRegistry();
    const graph = chain(200);
    await graph.run(registry);
    const ids = [...graph.tasks()].map((task) => task.id);
    expect(ids.slice(0, 4)).toEqual(['start', 'start/next', 'start/next@2', 'start/next@3']);
    expect(ids.at(-1)).toBe('start/next@199');
    expect(Math.max(...ids.map((id) => id.length))).toBe('start/next@199'.length);
    expect(graph.task('start/next@199')?.output?.value).toBe(200);
  });

  it('are the same in every run of the program, and when a creator runs again', async () => {
    const { registry } = chainRegistry();
    const first = chain(30);
    await first.run(registry);
    const second = chain(30);
    await second.run(registry);
    expect(diffTraces(first.toJSON(), second.toJSON()).tasks.filter((t) => t.change !== 'changed')).toEqual(
      [],
    );
    const replay = TaskGraph.fromJSON(first.toJSON());
    await replay.run(registry, { force: { tasks: ['start/next@5'] } });
    expect([...replay.tasks()].map((task) => task.id)).toEqual([...first.tasks()].map((task) => task.id));
  });

  it('follow createdTaskId, which the context uses', () => {
    expect(createdTaskId({ root: 'loop', generation: 0 }, 'turn-1')).toBe('loop/turn-1');
    expect(createdTaskId({ root: 'loop', generation: 6 }, 'turn-4')).toBe('loop/turn-4@7');
  });

  it('fail with DUPLICATE_TASK when two creators of one generation pick the same name', async () => {
    const registry = new FunctionRegistry();
    registry.register('leaf', () => 1);
    registry.register('branch', (ctx) => {
      ctx.addFunction({ id: 'leaf', fn: 'leaf' });
    });
    registry.register('fan', (ctx) => {
      ctx.addFunction({ id: 'a', fn: 'branch', args: 'a' });
      ctx.addFunction({ id: 'b', fn: 'branch', args: 'b' });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'fan' });
    const error = await rejection(graph.run(registry));
    expect((error.cause as { code?: string }).code).toBe('DUPLICATE_TASK');
    expect(graph.task('root/leaf@2')?.createdBy).toBe('root/a');
  });

  it('reject a name that is not a non-empty string', async () => {
    const registry = new FunctionRegistry();
    registry.register('bad', (ctx) => {
      ctx.addFunction({ id: '', fn: 'bad' });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'bad' });
    const error = await rejection(graph.run(registry));
    expect((error.cause as { code?: string }).code).toBe('INVALID_ARGUMENT');
  });
});

describe('a long creation chain', () => {
  it('runs 5,000 generations under the default options', async () => {
    const { registry, total } = chainRegistry();
    const graph = chain(5_000);
    expect(await graph.run(registry)).toBeUndefined();
    expect(graph.size).toBe(5_000);
    expect(total()).toBe(5_000);
    expect(graph.task('start/next@4999')?.output?.value).toBe(5_000);
  });

  it('stores as many bytes per task at 2,000 generations as at 100', async () => {
    const perTask = async (generations: number) => {
      const graph = chain(generations);
      await graph.run(chainRegistry().registry);
      return JSON.stringify(graph.toJSON()).length / generations;
    };
    const short = await perTask(100);
    expect(await perTask(2_000)).toBeLessThan(short * 1.1);
  });

  it('replays from its saved trace with zero calls', async () => {
    const first = chainRegistry();
    const graph = chain(3_000);
    await graph.run(first.registry);
    const again = chainRegistry();
    const replay = TaskGraph.fromJSON(rawTrace(graph.toJSON()));
    await replay.run(again.registry);
    expect(again.total()).toBe(0);
    expect(replay.size).toBe(3_000);
  });

  it('with ids of the old form (the creator id, a slash, the name) replays from its trace with zero calls', async () => {
    const { registry } = chainRegistry();
    const graph = chain(20);
    await graph.run(registry);
    const trace: RawJson = rawTrace(graph.toJSON());
    // Rewrite ids as they were before they were made compact: each repeats its creator's whole id.
    const oldId = new Map<string, string>();
    for (const task of trace.graph.tasks as RawJson[]) {
      oldId.set(task.id, task.createdBy === undefined ? task.id : `${oldId.get(task.createdBy)}/next`);
    }
    for (const task of trace.graph.tasks as RawJson[]) {
      task.id = oldId.get(task.id);
      if (task.deps) task.deps = task.deps.map((id: string) => oldId.get(id));
      if (task.createdBy) task.createdBy = oldId.get(task.createdBy);
    }
    const again = chainRegistry();
    const replay = TaskGraph.fromJSON(trace as TraceDocument);
    await replay.run(again.registry);
    expect(again.total()).toBe(0);
    expect(replay.task(`start${'/next'.repeat(19)}`)?.output?.value).toBe(20);
  });
});

describe('the creation-loop check', () => {
  it("stops a task that repeats an ancestor's work two generations up", async () => {
    const registry = new FunctionRegistry();
    let calls = 0;
    registry.register('flip', (ctx) => {
      calls++;
      // 0 → 1 → 0: the grandchild would do exactly what its grandparent did.
      ctx.addFunction({ id: 'flip', fn: 'flip', args: 1 - Number(ctx.args) });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'flip', args: 0 });
    const error = await rejection(graph.run(registry));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect((error as LimitExceededError).limit).toBe('creationLoop');
    expect(calls).toBe(2);
  });

  it('stops a task whose dependency values repeat those of an ancestor', async () => {
    const registry = new FunctionRegistry();
    registry.register('one', () => 1);
    registry.register('step', (ctx) => {
      ctx.addFunction({ id: 'step', fn: 'step', deps: ['seed'] });
      return 0;
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'seed', fn: 'one' });
    graph.addFunction({ id: 'root', fn: 'step', deps: ['seed'] });
    const error = await rejection(graph.run(registry));
    expect((error as LimitExceededError).limit).toBe('creationLoop');
  });

  it.each([
    [8, 8],
    [20, 52],
    [100, 228],
  ])(
    'stops a loop of %i tasks at the latest %i generations in (the nearest 8 at once)',
    async (period, bound) => {
      const registry = new FunctionRegistry();
      let calls = 0;
      registry.register('cycle', (ctx) => {
        calls++;
        ctx.addFunction({ id: 'next', fn: 'cycle', args: (Number(ctx.args) + 1) % period });
      });
      const graph = new TaskGraph();
      graph.addFunction({ id: 'root', fn: 'cycle', args: 0 });
      const error = await rejection(graph.run(registry));
      expect((error as LimitExceededError).limit).toBe('creationLoop');
      // The task that would repeat the work is never run; its creator is generation calls - 1.
      expect(calls).toBeGreaterThanOrEqual(period);
      expect(calls).toBeLessThanOrEqual(bound);
    },
  );

  it('lets siblings do the same work: only a creation ancestor makes a loop', async () => {
    const registry = new FunctionRegistry();
    registry.register('leaf', () => 'done');
    registry.register('twice', (ctx) => {
      ctx.addFunction({ id: 'first', fn: 'leaf', args: 'same' });
      ctx.addFunction({ id: 'second', fn: 'leaf', args: 'same' });
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'twice' });
    await graph.run(registry);
    expect(graph.task('root/second')?.output?.value).toBe('done');
  });
});

describe('maxDepth', () => {
  it('bounds graphs nested in graphs, not creation chains', async () => {
    const registry = new FunctionRegistry();
    registry.register('one', () => 1);
    // Three graph tasks one inside another: their graphs are nested 1, 2 and 3 levels deep.
    const nested = () => {
      let graph = new TaskGraph();
      graph.setOutput(graph.addFunction({ id: 'leaf', fn: 'one' }));
      for (let level = 0; level < 3; level++) {
        const outer = new TaskGraph();
        outer.setOutput(outer.addGraph({ id: `level-${level}`, graph }));
        graph = outer;
      }
      return graph;
    };
    expect(await nested().run(registry, { maxDepth: 3 })).toBe(1);
    const error = await rejection(nested().run(registry, { maxDepth: 2 }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect((error as LimitExceededError).limit).toBe('maxDepth');
  });
});
