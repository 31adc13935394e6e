import type { JsonValue } from '@taskgraph/core';
import type { QueueItem, QueueState } from './queue-state.js';
import { itemText } from './queue-state.js';

/** The built-in operations. */
export type QueueOp = 'getNext' | 'addTasks' | 'status' | 'markDone' | 'markFailed';

/**
 * How an operation went. The codes are data, returned to the caller (or the LLM), never thrown:
 * OK; EMPTY (getNext, nothing pending); CURRENT_NOT_DONE (getNext while the current task is unfinished);
 * NO_CURRENT (markDone or markFailed with no current task); INVALID_MODE (no such operation);
 * INVALID_ARGS (arguments of the wrong shape).
 */
export type QueueCode = 'OK' | 'EMPTY' | 'CURRENT_NOT_DONE' | 'NO_CURRENT' | 'INVALID_MODE' | 'INVALID_ARGS';

/** Arguments of the operations; each reads the ones it needs. */
export interface QueueOpArgs {
  /** addTasks: the tasks to append, in order. */
  tasks?: QueueItem[];
  /** A named worker (parallel consumers); without it the operation works on `current`. */
  worker?: string;
  /** markDone: what the task produced. */
  result?: JsonValue;
  /** markFailed: why the task failed. */
  error?: string;
}

/**
 * What getNext does when the consumer's current task is not done: "error" (the default) answers
 * CURRENT_NOT_DONE and changes nothing; "requeue" puts the unfinished task back at the front of the queue.
 */
export type UnfinishedPolicy = 'error' | 'requeue';

export interface QueueStatus {
  counts: { pending: number; claimed: number; done: number; failed: number };
  current: QueueItem | null;
  pending: QueueItem[];
  claimed: QueueState['claimed'];
  done: QueueState['done'];
  failed: QueueState['failed'];
}

/** What a handler returns: the outcome and the keys of the state it changes (nothing else is touched). */
export interface HandlerResult {
  ok: boolean;
  code: QueueCode;
  message: string;
  update: Partial<QueueState>;
  /** The task the operation took, finished or failed. */
  task?: QueueItem;
  status?: QueueStatus;
}

export type QueueHandler = (
  state: Readonly<QueueState>,
  args: QueueOpArgs,
  options: { onUnfinished: UnfinishedPolicy },
) => HandlerResult;

const unchanged = (ok: boolean, code: QueueCode, message: string): HandlerResult => ({
  ok,
  code,
  message,
  update: {},
});

/** The task the consumer holds: `current`, or the task of the named worker. */
function held(state: Readonly<QueueState>, worker: string | undefined): QueueItem | null {
  if (worker === undefined) return state.current;
  return state.claimed.find((claim) => claim.worker === worker)?.task ?? null;
}

/** The update that makes the consumer hold `task` (or nothing). */
function hold(state: Readonly<QueueState>, worker: string | undefined, task: QueueItem | null) {
  if (worker === undefined) return { current: task };
  const others = state.claimed.filter((claim) => claim.worker !== worker);
  return { claimed: task === null ? others : [...others, { worker, task }] };
}

const holder = (worker: string | undefined) => (worker === undefined ? '' : ` of worker "${worker}"`);

const getNext: QueueHandler = (state, { worker }, { onUnfinished }) => {
  const [next, ...rest] = state.pending;
  if (next === undefined) return unchanged(false, 'EMPTY', 'There are no tasks to process.');
  const unfinished = held(state, worker);
  if (unfinished !== null && onUnfinished === 'error') {
    return unchanged(
      false,
      'CURRENT_NOT_DONE',
      `Task '${itemText(unfinished)}' is still current${holder(worker)}. Mark it done or failed before getting the next one.`,
    );
  }
  const requeued =
    unfinished === null ? '' : ` Task '${itemText(unfinished)}' went back to the front of the queue.`;
  return {
    ok: true,
    code: 'OK',
    message: `New Current Task${holder(worker)} is '${itemText(next)}'.${requeued}`,
    update: { pending: unfinished === null ? rest : [unfinished, ...rest], ...hold(state, worker, next) },
    task: next,
  };
};

const addTasks: QueueHandler = (state, { tasks }) => {
  if (tasks === undefined || tasks.length === 0) return unchanged(true, 'OK', 'No tasks added.');
  return {
    ok: true,
    code: 'OK',
    message: `Added ${tasks.length} task${tasks.length === 1 ? '' : 's'}.`,
    update: { pending: [...state.pending, ...tasks] },
  };
};

const status: QueueHandler = (state) => {
  const counts = {
    pending: state.pending.length,
    claimed: state.claimed.length,
    done: state.done.length,
    failed: state.failed.length,
  };
  const claimed = counts.claimed > 0 ? ` Claimed by workers: ${counts.claimed}.` : '';
  return {
    ...unchanged(
      true,
      'OK',
      `Tasks to process: ${counts.pending}. Current task: ${itemText(state.current)}. Done tasks: ${counts.done}. Failed tasks: ${counts.failed}.${claimed}`,
    ),
    status: { counts, current: state.current, pending: [...state.pending], ...copyLists(state) },
  };
};

const markDone: QueueHandler = (state, { worker, result }) => {
  const task = held(state, worker);
  if (task === null)
    return unchanged(false, 'NO_CURRENT', `No current task${holder(worker)} to mark as done.`);
  const entry = { task, ...(result === undefined ? {} : { result }), ...(worker ? { worker } : {}) };
  return {
    ok: true,
    code: 'OK',
    message: `Task '${itemText(task)}' marked as done.`,
    update: { ...hold(state, worker, null), done: [...state.done, entry] },
    task,
  };
};

const markFailed: QueueHandler = (state, { worker, error }) => {
  const task = held(state, worker);
  if (task === null)
    return unchanged(false, 'NO_CURRENT', `No current task${holder(worker)} to mark as failed.`);
  const reason = error ?? 'no reason given';
  return {
    ok: true,
    code: 'OK',
    message: `Task '${itemText(task)}' marked as failed: ${reason}`,
    update: {
      ...hold(state, worker, null),
      failed: [...state.failed, { task, error: reason, ...(worker ? { worker } : {}) }],
    },
    task,
  };
};

function copyLists(state: Readonly<QueueState>) {
  return { claimed: [...state.claimed], done: [...state.done], failed: [...state.failed] };
}

/** The built-in operations, by name. */
export const QUEUE_HANDLERS: Readonly<Record<QueueOp, QueueHandler>> = {
  getNext,
  addTasks,
  status,
  markDone,
  markFailed,
};
