import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph } from '../src/index.js';

const clock = () => performance.timeOrigin + performance.now();

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: a synchronous function that takes time
  }
}

/** A chain of `n` tasks whose functions record when they were entered and left. */
function timedChain(n: number, body: (ctx: unknown) => unknown) {
  const registry = new FunctionRegistry();
  const entered = new Map<string, number>();
  const left = new Map<string, number>();
  registry.register('step', async (ctx) => {
    entered.set(ctx.taskId, clock());
    const result = body(ctx);
    const value = result instanceof Promise ? await result : result;
    left.set(ctx.taskId, clock());
    return value;
  });
  const graph = new TaskGraph();
  for (let i = 0; i < n; i++)
    graph.addFunction({ id: `t${i}`, fn: 'step', deps: i === 0 ? [] : [`t${i - 1}`] });
  return { registry, graph, entered, left };
}

/** Each task's recorded start is not after its function was entered, nor before the previous task's function left. */
function expectBracketed(
  graph: TaskGraph,
  n: number,
  entered: Map<string, number>,
  left: Map<string, number>,
): void {
  // Clocks are read in different places: allow the rounding of a float's last digits.
  const slack = 0.001;
  for (let i = 0; i < n; i++) {
    const task = graph.task(`t${i}`);
    const startedAt = task?.startedAt as number;
    expect(startedAt).toBeLessThanOrEqual((entered.get(`t${i}`) as number) + slack);
    if (i > 0) expect(startedAt).toBeGreaterThanOrEqual((left.get(`t${i - 1}`) as number) - slack);
    const end = startedAt + (task?.durationMs as number);
    expect(end).toBeGreaterThanOrEqual((left.get(`t${i}`) as number) - slack);
  }
}

describe('task times', () => {
  it('a synchronous chain: each start is after the previous task finished and each duration covers its work', async () => {
    const registry = new FunctionRegistry();
    const entered = new Map<string, number>();
    const left = new Map<string, number>();
    registry.register('step', (ctx) => {
      entered.set(ctx.taskId, clock());
      busy(3);
      left.set(ctx.taskId, clock());
      return ctx.taskId;
    });
    const graph = new TaskGraph();
    for (let i = 0; i < 6; i++)
      graph.addFunction({ id: `t${i}`, fn: 'step', deps: i === 0 ? [] : [`t${i - 1}`] });
    await graph.run(registry);
    expectBracketed(graph, 6, entered, left);
    for (let i = 0; i < 6; i++) expect(graph.task(`t${i}`)?.durationMs).toBeGreaterThanOrEqual(3);
  });

  it('tasks that start one after another from one finish: each takes a time after the one before worked', async () => {
    const registry = new FunctionRegistry();
    const entered = new Map<string, number>();
    const left = new Map<string, number>();
    // Each function works synchronously, then waits: its siblings start while it waits.
    registry.register('work', async (ctx) => {
      entered.set(ctx.taskId, clock());
      busy(2);
      left.set(ctx.taskId, clock());
      await new Promise((resolve) => setTimeout(resolve, 1));
      return 1;
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'root', fn: 'work' });
    for (let i = 0; i < 4; i++) graph.addFunction({ id: `b${i}`, fn: 'work', deps: ['root'] });
    await graph.run(registry);
    // On one thread, the synchronous part of whatever was entered before a task's function had ended.
    for (const [id, at] of entered) {
      const startedAt = graph.task(id)?.startedAt as number;
      expect(startedAt).toBeLessThanOrEqual(at + 0.001);
      for (const [other, otherAt] of entered)
        if (otherAt < at)
          expect(startedAt, `${id} after ${other}`).toBeGreaterThanOrEqual(
            (left.get(other) as number) - 0.001,
          );
    }
  });

  it('an asynchronous chain: a start never takes the time of a task that finished before a wait', async () => {
    const { registry, graph, entered, left } = timedChain(5, () => new Promise((r) => setTimeout(r, 5)));
    await graph.run(registry);
    expectBracketed(graph, 5, entered, left);
  });

  it('a replay that re-runs a task after reused ones: its start is after they were checked', async () => {
    const { registry, graph } = timedChain(4, () => 1);
    await graph.run(registry);
    const document = graph.toJSON();
    const record = document.graph.tasks.find((task) => task.id === 't1') as { output?: unknown };
    record.output = 7;
    const loaded = TaskGraph.fromJSON(document);
    const again = new FunctionRegistry();
    const entered = new Map<string, number>();
    again.register('step', (ctx) => {
      entered.set(ctx.taskId, clock());
      return 1;
    });
    const before = clock();
    await loaded.run(again);
    expect([...entered.keys()]).toEqual(['t2']);
    const startedAt = loaded.task('t2')?.startedAt as number;
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(startedAt).toBeLessThanOrEqual((entered.get('t2') as number) + 0.001);
  });
});
