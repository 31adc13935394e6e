import { FunctionRegistry, TaskGraph, TaskGraphError } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { applyQueueUpdate } from './apply-queue-update.js';
import { addQueueOperations } from './queue-graph.js';
import type { QueueHandler } from './queue-handlers.js';
import type { QueueState } from './queue-state.js';
import { emptyQueueState } from './queue-state.js';
import { QUEUE_TOOL_MODES, queueRequestFromToolCall, queueToolDefinition } from './queue-tool.js';
import { registerQueue } from './register-queue.js';
import { runQueueOperation } from './run-queue-operation.js';
import { TaskQueue } from './task-queue.js';
import { UnknownStateKeyError } from './unknown-state-key-error.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('task queue operations', () => {
  it('R1-1 the queue state round-trips through toJSON() and fromJSON() unchanged', () => {
    const queue = new TaskQueue();
    queue.addTasks(['a', { invoice: 'INV-2', total: 12.5 }, 'c']);
    queue.getNext();
    queue.markDone({ result: 'ok' });
    queue.getNext('w1');
    queue.getNext();
    queue.markFailed('missing total');
    const json = JSON.parse(JSON.stringify(queue.toJSON()));
    const back = TaskQueue.fromJSON(json);
    expect(back.toJSON()).toEqual(queue.toJSON());
    expect(back.toJSON()).toEqual({
      pending: [],
      current: null,
      claimed: [{ worker: 'w1', task: { invoice: 'INV-2', total: 12.5 } }],
      done: [{ task: 'a', result: 'ok' }],
      failed: [{ task: 'c', error: 'missing total' }],
    });
    expect(() => TaskQueue.fromJSON({ pending: 'a' })).toThrow(TaskGraphError);
  });

  it('R1-2 every operation returns { stateUpdate, message, ok, code } with the seed messages', () => {
    const queue = new TaskQueue();
    const records = [
      queue.addTasks(['a', 'b']),
      queue.addTasks([]),
      queue.getNext(),
      queue.status(),
      queue.markDone(),
      queue.markDone(),
      queue.getNext(),
      queue.markDone(),
      queue.getNext(),
    ];
    expect(records.map((r) => r.message)).toEqual([
      'Added 2 tasks.',
      'No tasks added.',
      "New Current Task is 'a'.",
      'Tasks to process: 1. Current task: a. Done tasks: 0. Failed tasks: 0.',
      "Task 'a' marked as done.",
      'No current task to mark as done.',
      "New Current Task is 'b'.",
      "Task 'b' marked as done.",
      'There are no tasks to process.',
    ]);
    expect(records[2]).toMatchObject({
      ok: true,
      code: 'OK',
      task: 'a',
      update: { pending: ['b'], current: 'a' },
    });
    expect(records.map((r) => r.code)).toEqual([
      'OK',
      'OK',
      'OK',
      'OK',
      'OK',
      'NO_CURRENT',
      'OK',
      'OK',
      'EMPTY',
    ]);
  });

  it('R1-3 getNext on an empty queue answers EMPTY and leaves the state, current included, as it was', () => {
    const queue = new TaskQueue();
    queue.addTasks(['a']);
    queue.getNext();
    const before = structuredClone(queue.state);
    const record = queue.getNext();
    expect(record).toMatchObject({ ok: false, code: 'EMPTY', update: {} });
    expect(queue.state).toEqual(before);
    expect(queue.state.current).toBe('a');
  });

  it('R1-4 getNext keeps an unfinished current task (error by default, requeue on request)', () => {
    const strict = new TaskQueue();
    strict.addTasks(['a', 'b']);
    strict.getNext();
    const refused = strict.getNext();
    expect(refused).toMatchObject({ ok: false, code: 'CURRENT_NOT_DONE', update: {} });
    expect(strict.state).toMatchObject({ current: 'a', pending: ['b'] });

    const requeue = new TaskQueue(emptyQueueState(), { onUnfinished: 'requeue' });
    requeue.addTasks(['a', 'b']);
    requeue.getNext();
    expect(requeue.getNext()).toMatchObject({ ok: true, code: 'OK', task: 'b' });
    expect(requeue.state).toMatchObject({ current: 'b', pending: ['a'] });
  });

  it('R1-5 markDone without a current task answers NO_CURRENT and never names an earlier task', () => {
    const queue = new TaskQueue();
    queue.addTasks(['a']);
    queue.getNext();
    queue.markDone();
    const again = queue.markDone();
    expect(again).toMatchObject({ ok: false, code: 'NO_CURRENT', update: {} });
    expect(again.message).not.toContain("'a'");
    expect(queue.state.done).toEqual([{ task: 'a' }]);
    expect(queue.markFailed('x')).toMatchObject({ ok: false, code: 'NO_CURRENT' });
  });

  it('R1-6 addTasks with an empty or missing list changes nothing; with items, appends them in order', () => {
    const queue = new TaskQueue(emptyQueueState(['first']));
    for (const tasks of [undefined, []]) {
      expect(queue.addTasks(tasks)).toMatchObject({ ok: true, message: 'No tasks added.', update: {} });
    }
    expect(queue.state.pending).toEqual(['first']);
    queue.addTasks(['x', 'y']);
    expect(queue.state.pending).toEqual(['first', 'x', 'y']);
  });

  it('R1-7 status gives counts, the current task, and every list in structured form', () => {
    const queue = new TaskQueue();
    queue.addTasks(['a', 'b', 'c']);
    queue.getNext();
    queue.markDone({ result: 1 });
    queue.getNext();
    const { status, message, update } = queue.status();
    expect(update).toEqual({});
    expect(message).toBe('Tasks to process: 1. Current task: b. Done tasks: 1. Failed tasks: 0.');
    expect(status).toEqual({
      counts: { pending: 1, claimed: 0, done: 1, failed: 0 },
      current: 'b',
      pending: ['c'],
      claimed: [],
      done: [{ task: 'a', result: 1 }],
      failed: [],
    });
  });

  it('R1-8 an unknown mode answers INVALID_MODE, and the tool schema makes mode an enum', () => {
    const state = emptyQueueState(['a']);
    const record = runQueueOperation(state, { op: 'pop_all' });
    expect(record).toMatchObject({
      ok: false,
      code: 'INVALID_MODE',
      message: 'Invalid mode selected.',
      update: {},
    });
    expect(record.after).toEqual(state);
    const call = {
      id: 'call_1',
      type: 'function' as const,
      function: { name: 'task_management', arguments: '{"mode":"get_nxt"}' },
    };
    expect(runQueueOperation(state, queueRequestFromToolCall(call)).code).toBe('INVALID_MODE');
    const tool = queueToolDefinition() as {
      function: { parameters: { properties: { mode: { enum: string[] } } } };
    };
    expect(tool.function.parameters.properties.mode.enum).toEqual(Object.keys(QUEUE_TOOL_MODES));
  });

  it('R1-9 an update naming an undeclared state key fails the step with UnknownStateKey', async () => {
    // The seed's get_next on an empty queue returned the misspelt key "task_to_process".
    const misspelt: QueueHandler = () => ({
      ok: true,
      code: 'OK',
      message: 'x',
      update: { task_to_process: [] } as object,
    });
    expect(() => applyQueueUpdate(emptyQueueState(), { task_to_process: [] })).toThrow(UnknownStateKeyError);
    const registry = new FunctionRegistry();
    registerQueue(registry, { handlers: { getNext: misspelt } });
    const graph = new TaskGraph();
    addQueueOperations(graph, {
      queue: 'q',
      requests: [{ op: 'addTasks', args: { tasks: ['a'] } }, { op: 'getNext' }],
    });
    const error = (await graph.run(registry).catch((e: unknown) => e)) as TaskGraphError;
    expect(error.taskId).toBe('q.op-2');
    expect(error.cause).toBeInstanceOf(UnknownStateKeyError);
    expect((error.cause as UnknownStateKeyError).key).toBe('task_to_process');
    expect((error.cause as TaskGraphError).code).toBe('UNKNOWN_STATE_KEY');
  });

  it('R1-10 operations never modify their input: they succeed on a frozen state', () => {
    const frozen: QueueState = deepFreeze({ ...emptyQueueState(['a', 'b']), current: null });
    let state = frozen;
    for (const request of [
      { op: 'addTasks', args: { tasks: ['c'] } },
      { op: 'getNext' },
      { op: 'markDone', args: { result: 'r' } },
      { op: 'getNext', args: { worker: 'w1' } },
      { op: 'markFailed', args: { worker: 'w1', error: 'e' } },
      { op: 'status' },
    ]) {
      const record = runQueueOperation(deepFreeze(state), request);
      expect(record.ok).toBe(true);
      state = record.after;
    }
    expect(frozen).toEqual(emptyQueueState(['a', 'b']));
    expect(state).toMatchObject({
      pending: ['c'],
      done: [{ task: 'a', result: 'r' }],
      failed: [{ task: 'b', error: 'e' }],
    });
  });
});
