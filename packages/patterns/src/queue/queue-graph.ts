import type { AnyTask, FunctionTaskSpec, JsonValue, TaskGraphBase, TaskRef } from '@taskgraph/core';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import type { QueueOpArgs, UnfinishedPolicy } from './queue-handlers.js';
import type { QueueState } from './queue-state.js';
import type { QueueRecord, QueueRequest } from './run-queue-operation.js';

/** Constant arguments of an operation task (`args` in the trace). */
export interface OpTaskArgs {
  /** The queue's name: every task of one queue carries it. */
  queue: string;
  op: string;
  args?: QueueOpArgs;
  toolCallId?: string;
  onUnfinished?: UnfinishedPolicy;
  /** The state to start from when the task has no dependency. */
  initial?: JsonValue;
}

/** A graph, or a running task's context: anything that adds function tasks. */
export interface TaskAdder {
  addFunction<A extends unknown[], O>(spec: FunctionTaskSpec<A, O>): TaskRef<O>;
}

export interface QueueOperationsOptions {
  /** The queue's name; every operation task carries it in its args. */
  queue: string;
  requests: readonly QueueRequest[];
  /** The task whose output holds the queue to start from (an operation's record, a state). */
  after?: TaskRef | string;
  /** Without `after`: the state to start from (default an empty queue). */
  initial?: QueueState;
  onUnfinished?: UnfinishedPolicy;
  /** Ids are `<idPrefix><n>` from 1 (default `<queue>.op-`). */
  idPrefix?: string;
}

/**
 * Adds one task per operation, each depending on the one before: the operations run one after the
 * other, each task's output is its QueueRecord, and a replay reproduces them. Editing one record in a
 * trace re-runs only the operations after it.
 */
export function addQueueOperations(
  target: TaskAdder,
  options: QueueOperationsOptions,
): TaskRef<QueueRecord>[] {
  const { queue, after, initial, onUnfinished } = options;
  const prefix = options.idPrefix ?? `${queue}.op-`;
  const refs: TaskRef<QueueRecord>[] = [];
  let previous: TaskRef | string | undefined = after;
  options.requests.forEach((request, i) => {
    const ref = target.addFunction<[QueueRecord], QueueRecord>({
      id: `${prefix}${i + 1}`,
      fn: QUEUE_FUNCTIONS.op,
      ...(previous === undefined ? {} : { deps: [previous as TaskRef<QueueRecord>] }),
      args: opArgs(queue, request, onUnfinished, previous === undefined ? initial : undefined),
    });
    refs.push(ref);
    previous = ref;
  });
  return refs;
}

/** The args of one operation task. */
export function opArgs(
  queue: string,
  request: QueueRequest,
  onUnfinished?: UnfinishedPolicy,
  initial?: QueueState,
): JsonValue {
  const args: OpTaskArgs = { queue, op: request.op };
  if (request.args !== undefined) args.args = request.args;
  if (request.toolCallId !== undefined) args.toolCallId = request.toolCallId;
  if (onUnfinished !== undefined) args.onUnfinished = onUnfinished;
  if (initial !== undefined) args.initial = initial as unknown as JsonValue;
  return args as unknown as JsonValue;
}

/** Every recorded operation of the queue named `queue` in a graph (a run, a loaded trace), in order. */
export function queueRecords(graph: TaskGraphBase, queue: string): QueueRecord[] {
  const records: QueueRecord[] = [];
  for (const task of walk(graph)) {
    if (task.kind !== 'function' || (task.fn !== QUEUE_FUNCTIONS.op && task.fn !== QUEUE_FUNCTIONS.settle))
      continue;
    if ((task.args as { queue?: unknown } | undefined)?.queue !== queue || task.status !== 'done') continue;
    records.push(task.output?.value as QueueRecord);
  }
  return records.sort((a, b) => a.seq - b.seq);
}

/** The queue's state after its last recorded operation (undefined when it has none). */
export function queueState(graph: TaskGraphBase, queue: string): QueueState | undefined {
  return queueRecords(graph, queue).at(-1)?.after;
}

function* walk(graph: TaskGraphBase): Generator<AnyTask> {
  for (const task of graph.tasks()) {
    yield task;
    if (task.kind === 'graph') yield* walk(task.graph);
  }
}
