import { FunctionRegistry, TaskGraph, TaskGraphError } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { queueRecords, queueState } from './queue-graph.js';
import type { QueueItem } from './queue-state.js';
import { addQueueWorkers } from './queue-workers.js';
import { registerQueue } from './register-queue.js';

/** Parties that each wait until all have arrived; rejects (never hangs) when one does not come. */
function barrier(parties: number) {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    if (++arrived === parties) release();
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`barrier: ${arrived} of ${parties} arrived`)), 5_000);
    });
    await Promise.race([all, guard]).finally(() => clearTimeout(timer));
  };
}

describe('queue workers: each dequeued task a node of the graph', () => {
  it('R1-12 100 parallel getNext calls over 100 items give 100 distinct items', async () => {
    const registry = new FunctionRegistry();
    registerQueue(registry);
    const meet = barrier(100);
    const seen: QueueItem[] = [];
    const worker = registry.register('take', async (_ctx, item: QueueItem) => {
      seen.push(item);
      await meet(); // all 100 nodes hold their item at the same time
      return item;
    });
    const items = Array.from({ length: 100 }, (_, i) => `item-${i}`);
    const graph = new TaskGraph();
    addQueueWorkers(graph, { id: 'q', tasks: items, worker });
    await graph.run(registry);

    expect(new Set(seen).size).toBe(100);
    expect([...seen].sort()).toEqual([...items].sort());
    const claims = queueRecords(graph, 'q').filter((r) => r.op === 'getNext');
    expect(claims.map((r) => r.task)).toEqual(items);
    expect(claims.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(queueState(graph, 'q')?.done).toHaveLength(100);
  });

  it('R1-13 a node that succeeds marks its task done, one that throws marks it failed with its error', async () => {
    const registry = new FunctionRegistry();
    registerQueue(registry);
    const validate = registry.register('validate', (_ctx, invoice: QueueItem) => {
      const { id, lines, total } = invoice as { id: string; lines: number[]; total: number };
      const sum = lines.reduce((a, b) => a + b, 0);
      if (sum !== total)
        throw new TaskGraphError('INVALID_ARGUMENT', `${id}: lines add up to ${sum}, not ${total}`);
      return { id, valid: true };
    });
    const graph = new TaskGraph();
    addQueueWorkers(graph, {
      id: 'invoices',
      tasks: [
        { id: 'INV-1', lines: [10, 5], total: 15 },
        { id: 'INV-2', lines: [7, 7], total: 15 },
        { id: 'INV-3', lines: [1], total: 1 },
      ],
      worker: validate,
      parallel: 2,
    });
    await graph.run(registry);

    const state = queueState(graph, 'invoices');
    expect(state?.done.map((entry) => entry.result)).toEqual([
      { id: 'INV-1', valid: true },
      { id: 'INV-3', valid: true },
    ]);
    expect(state?.failed).toEqual([
      {
        task: { id: 'INV-2', lines: [7, 7], total: 15 },
        error: 'INV-2: lines add up to 14, not 15',
        worker: 'w2',
      },
    ]);
    expect(state).toMatchObject({ pending: [], current: null, claimed: [] });
    // Two rounds of at most two nodes, then a last round that finds the queue empty.
    expect(
      [...graph.tasks()].filter((t) => /\/next(@\d+)?$/.test(t.id) || t.id === 'invoices.rounds'),
    ).toHaveLength(3);
    expect(graph.task('invoices.rounds/work-2')?.status).toBe('done');
  });
});
