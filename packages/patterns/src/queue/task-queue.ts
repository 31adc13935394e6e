import type { JsonValue } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { QueueItem, QueueState } from './queue-state.js';
import { emptyQueueState, parseQueueState } from './queue-state.js';
import type { QueueOptions, QueueRecord, QueueRequest } from './run-queue-operation.js';
import { runQueueOperation } from './run-queue-operation.js';

/**
 * A task queue for user code. Each operation replaces the state with a new one (the old one is never
 * modified) and appends its record to `history`, which `replayQueue` can run again. Operations are
 * synchronous, so callers running at the same time are served one after the other: two of them never
 * take the same task. Inside a graph, use the queue's tasks instead (see addQueueOperations), so that
 * every operation is in the trace.
 */
export class TaskQueue {
  #state: QueueState;
  readonly #options: QueueOptions;
  readonly history: QueueRecord[] = [];

  constructor(state: QueueState = emptyQueueState(), options: QueueOptions = {}) {
    this.#state = parseQueueState(state, 'new TaskQueue');
    this.#options = options;
  }

  /** The current state; treat it as read-only (operations replace it, they never change it). */
  get state(): QueueState {
    return this.#state;
  }

  /** Runs any operation by name (an LLM's tool call, an operation of `options.handlers`). */
  run(request: QueueRequest): QueueRecord {
    const record = runQueueOperation(this.#state, request, this.#options, this.history.length + 1);
    this.#state = record.after;
    this.history.push(record);
    return record;
  }

  /** Takes the first pending task: it becomes the current task (or the named worker's). */
  getNext(worker?: string): QueueRecord {
    return this.run({ op: 'getNext', args: worker === undefined ? {} : { worker } });
  }

  /** Appends tasks to the end of the queue, in order. */
  addTasks(tasks: readonly QueueItem[] | undefined): QueueRecord {
    return this.run({ op: 'addTasks', args: tasks === undefined ? {} : { tasks: [...tasks] } });
  }

  /** Counts, the current task, and every list. */
  status(): QueueRecord {
    return this.run({ op: 'status' });
  }

  /** Moves the current task (or the named worker's) to `done`, with its result. */
  markDone(options: { result?: JsonValue; worker?: string } = {}): QueueRecord {
    return this.run({ op: 'markDone', args: options });
  }

  /** Moves the current task (or the named worker's) to `failed`, with why. */
  markFailed(error: string, options: { worker?: string } = {}): QueueRecord {
    return this.run({ op: 'markFailed', args: { ...options, error } });
  }

  /** The state as JSON. */
  toJSON(): QueueState {
    return this.#state;
  }

  /** A queue from a saved state (checked: errors name the JSON path). */
  static fromJSON(json: unknown, options: QueueOptions = {}): TaskQueue {
    return new TaskQueue(parseQueueState(json, 'TaskQueue.fromJSON'), options);
  }
}

/**
 * Runs the operations of recorded history again from the state before the first one, and returns the new
 * records. With the same options, they equal the recorded ones: a history is a replayable log.
 */
export function replayQueue(records: readonly QueueRecord[], options: QueueOptions = {}): QueueRecord[] {
  const first = records[0];
  if (!first) return [];
  if (records.some((record, i) => record.seq !== first.seq + i)) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      'replayQueue: `records` must be consecutive (seq n, n+1, n+2…). Pass a whole history or an unbroken run of it.',
    );
  }
  const queue = new TaskQueue(first.before, options);
  return records.map((record) => {
    const replayed = queue.run({ op: record.op, args: record.args, toolCallId: record.toolCallId });
    return { ...replayed, seq: record.seq };
  });
}
