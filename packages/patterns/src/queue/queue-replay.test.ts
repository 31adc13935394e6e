import type { RunEvent } from '@taskgraph/core';
import { editTrace, FunctionRegistry, planReplay, TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import { addQueueOperations, queueRecords, queueState } from './queue-graph.js';
import { registerQueue } from './register-queue.js';
import type { QueueRecord, QueueRequest } from './run-queue-operation.js';
import { replayQueue, TaskQueue } from './task-queue.js';

const TEN: QueueRequest[] = [
  { op: 'addTasks', args: { tasks: ['INV-1', 'INV-2', 'INV-3'] } },
  { op: 'getNext' },
  { op: 'markDone', args: { result: 'valid' } },
  { op: 'getNext' },
  { op: 'getNext' },
  { op: 'markFailed', args: { error: 'total does not match the lines' } },
  { op: 'status' },
  { op: 'getNext' },
  { op: 'markDone' },
  { op: 'getNext' },
];

/** A chain of the ten operations, run; the trace as a file holds it. */
async function recorded() {
  const registry = new FunctionRegistry();
  registerQueue(registry);
  const graph = new TaskGraph();
  addQueueOperations(graph, { queue: 'invoices', requests: TEN });
  await graph.run(registry);
  return {
    registry,
    trace: JSON.parse(JSON.stringify(graph.toJSON())),
    records: queueRecords(graph, 'invoices'),
  };
}

/** Ids of the tasks that ran and of those reused, from the run's events. */
function tally() {
  const ran: string[] = [];
  const reused: string[] = [];
  const onEvent = (event: RunEvent) => {
    if (event.type === 'task:start') ran.push(event.taskPath.join(' > '));
    if (event.type === 'task:reused') reused.push(event.taskPath.join(' > '));
  };
  return { ran, reused, onEvent };
}

const summary = (records: QueueRecord[]) =>
  records.map((r) => ({ op: r.op, code: r.code, message: r.message }));

describe('queue operations in the trace', () => {
  it('R1-11 replay of a recorded 10-operation run gives deep-equal final state and messages', async () => {
    const { registry, trace, records } = await recorded();
    expect(records).toHaveLength(10);
    expect(records[4]).toMatchObject({ seq: 5, op: 'getNext', code: 'CURRENT_NOT_DONE' });
    expect(records[9]).toMatchObject({ seq: 10, code: 'EMPTY', after: records[8]?.after });
    for (const [i, record] of records.entries()) {
      expect(Object.keys(record)).toEqual(
        expect.arrayContaining(['op', 'args', 'before', 'after', 'message']),
      );
      if (i > 0) expect(record.before).toEqual(records[i - 1]?.after);
    }

    // Reused from the trace: nothing runs, the states and messages are the recorded ones.
    const reused = TaskGraph.fromJSON(trace);
    const quiet = tally();
    await reused.run(registry, { onEvent: quiet.onEvent });
    expect(quiet.ran).toEqual([]);
    expect(queueRecords(reused, 'invoices')).toEqual(records);

    // Every operation executed again: the same states and messages.
    const forced = TaskGraph.fromJSON(trace);
    const all = tally();
    await forced.run(registry, { force: { functions: [QUEUE_FUNCTIONS.op] }, onEvent: all.onEvent });
    expect(all.ran).toHaveLength(10);
    expect(queueState(forced, 'invoices')).toEqual(records[9]?.after);
    expect(summary(queueRecords(forced, 'invoices'))).toEqual(summary(records));

    // The same log replayed outside a graph.
    const replayed = replayQueue(records);
    expect(replayed).toEqual(records);
    const queue = new TaskQueue();
    for (const request of TEN) queue.run(request);
    expect(queue.history).toEqual(records);
  });

  it("an edit of one operation's result re-runs only the operations after it", async () => {
    const { registry, trace, records } = await recorded();
    const graph = TaskGraph.fromJSON(trace);
    // Operation 4 took INV-2; say it had taken INV-3 and left INV-2 waiting.
    const edited: QueueRecord = {
      ...(records[3] as QueueRecord),
      task: 'INV-3',
      message: "New Current Task is 'INV-3'.",
      update: { pending: ['INV-2'], current: 'INV-3' },
      after: { ...(records[3] as QueueRecord).after, pending: ['INV-2'], current: 'INV-3' },
    };
    editTrace(graph, { task: 'invoices.op-4', field: 'output', value: edited });
    const plan = planReplay(graph, registry);
    expect(plan.counts).toEqual({ reuse: 4, rerun: 6, recreate: 0 });

    const { ran, reused, onEvent } = tally();
    await graph.run(registry, { onEvent });
    expect(reused).toEqual(['invoices.op-1', 'invoices.op-2', 'invoices.op-3', 'invoices.op-4']);
    expect(ran).toEqual([
      'invoices.op-5',
      'invoices.op-6',
      'invoices.op-7',
      'invoices.op-8',
      'invoices.op-9',
      'invoices.op-10',
    ]);
    const after = queueRecords(graph, 'invoices');
    expect(after[5]).toMatchObject({ op: 'markFailed', task: 'INV-3' });
    expect(after[7]).toMatchObject({ op: 'getNext', task: 'INV-2' });
    expect(queueState(graph, 'invoices')?.failed).toEqual([
      { task: 'INV-3', error: 'total does not match the lines' },
    ]);
  });
});
