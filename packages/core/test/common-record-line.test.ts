import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph } from '../src/index.js';
import { commonRecordLine } from '../src/trace/common-record-line.js';
import { compactRecord } from '../src/trace/compact-record.js';
import { traceTimeOrigin } from '../src/trace/trace-file-text.js';
import { writeTask, writeTraceHead } from '../src/trace/trace-write.js';

/** The line the general way writes for a root task (record, compact record, JSON). */
function generalLine(record: ReturnType<typeof writeTask>, origin: number): string {
  return JSON.stringify(compactRecord(record, origin));
}

/** A graph whose tasks are common and not: args, no deps, retries, versions, input, Dates, failures; finished. */
async function mixedGraph(outputs: unknown[], times: number[]) {
  const { graph, registry } = mixedDefinitions(outputs);
  await graph.run(registry, { continueOnError: true }).catch(() => undefined);
  // Times with every rounding case: whole, fractional, far from the run's start.
  [...graph.tasks()].forEach((task, i) => {
    if (task.startedAt !== undefined) task.startedAt += times[i % times.length] as number;
    if (task.durationMs !== undefined) task.durationMs = Math.abs(times[(i + 1) % times.length] as number);
  });
  return graph;
}

/** mixedGraph's tasks before any run. */
function mixedDefinitions(outputs: unknown[]) {
  const registry = new FunctionRegistry();
  registry.register('value', (ctx) => outputs[Number((ctx.args as { i: number }).i)]);
  registry.register('sum', (_ctx, ...deps: unknown[]) => deps.length);
  registry.register('versioned', () => 1, { version: '2' });
  registry.register('reads', (ctx) => (ctx.input as { n: number }).n);
  registry.register('when', () => new Date(0));
  registry.register('boom', () => {
    throw new Error('boom');
  });
  const graph = new TaskGraph({ input: { n: 3 } });
  outputs.forEach((_, i) => {
    graph.addFunction({ id: `v${i}`, fn: 'value', args: { i } });
  });
  graph.addFunction({ id: 'sum', fn: 'sum', deps: outputs.map((_, i) => `v${i}`) });
  graph.addFunction({ id: 'retried', fn: 'sum', deps: ['sum'], retries: 2 });
  graph.addFunction({ id: 'versioned', fn: 'versioned' });
  graph.addFunction({ id: 'reads', fn: 'reads' });
  graph.addFunction({ id: 'when', fn: 'when' });
  graph.addFunction({ id: 'named', fn: 'sum', namedDeps: { a: 'sum' } });
  graph.addFunction({ id: 'boom', fn: 'boom' });
  graph.addFunction({ id: 'after', fn: 'sum', deps: ['boom'] });
  return { graph, registry };
}

/** The ids of a graph's tasks that take the common line, each checked against the general way's text. */
function commonTasks(graph: TaskGraph): string[] {
  const origin = traceTimeOrigin(writeTraceHead(graph));
  const common: string[] = [];
  for (const task of graph.tasks()) {
    const line = commonRecordLine(task, origin);
    if (line === undefined) continue;
    common.push(task.id);
    expect(line).toBe(generalLine(writeTask(task), origin));
  }
  return common;
}

describe('common task lines', () => {
  it('are the text the general way writes, for any output and times', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5 }),
        async (outputs, times) => {
          const graph = await mixedGraph(outputs, times);
          const common = commonTasks(graph);
          // The value tasks are common unless their output needs annotations (-0), and so is the sum; the
          // retried, versioned, input-reading, annotated, named, failed and skipped ones are not.
          const plain = outputs.flatMap((_, i) =>
            graph.task(`v${i}`)?.output?.encoded.meta ? [] : [`v${i}`],
          );
          expect(common).toEqual([...plain, 'sum']);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('are the text the general way writes for tasks not run yet, any args', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 6 }), (outputs) => {
        const { graph } = mixedDefinitions(outputs);
        // Only retries and named dependencies are known before a run; the rest is common while pending.
        expect(commonTasks(graph)).toEqual([
          ...outputs.map((_, i) => `v${i}`),
          'sum',
          'versioned',
          'reads',
          'when',
          'boom',
          'after',
        ]);
      }),
      { numRuns: 30 },
    );
  });
});
