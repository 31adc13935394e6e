import { z } from 'zod';
import { applyQueueUpdate } from './apply-queue-update.js';
import type {
  QueueCode,
  QueueHandler,
  QueueOp,
  QueueOpArgs,
  QueueStatus,
  UnfinishedPolicy,
} from './queue-handlers.js';
import { QUEUE_HANDLERS } from './queue-handlers.js';
import type { QueueItem, QueueState } from './queue-state.js';
import { queueItemSchema } from './queue-state.js';

/** One operation to run: its name, its arguments and, when an LLM asked for it, the tool call's id. */
export interface QueueRequest {
  op: QueueOp | (string & {});
  args?: QueueOpArgs | undefined;
  toolCallId?: string | undefined;
}

export interface QueueOptions {
  /** What getNext does while the consumer's task is unfinished (default "error"). */
  onUnfinished?: UnfinishedPolicy;
  /**
   * Operations beside (or instead of) the built-in ones. A handler returns the keys of the state it
   * changes; an update naming any other key fails with UnknownStateKeyError.
   */
  handlers?: Readonly<Record<string, QueueHandler>>;
}

/**
 * The trace entry of one operation: what was asked, what it answered, and the state before and after.
 * `update` holds only the keys that changed; `after` is `before` with `update` applied.
 */
export interface QueueRecord {
  /** Position of the operation in the queue's history, from 1. */
  seq: number;
  op: string;
  args: QueueOpArgs;
  toolCallId?: string;
  ok: boolean;
  code: QueueCode;
  message: string;
  /** The task the operation took, finished or failed. */
  task?: QueueItem;
  /** status only: counts and every list. */
  status?: QueueStatus;
  update: Partial<QueueState>;
  before: QueueState;
  after: QueueState;
}

const argsSchema = z.object({
  tasks: z.array(queueItemSchema).optional(),
  worker: z.string().min(1).optional(),
  result: z.json().optional(),
  error: z.string().optional(),
});

/**
 * Runs one queue operation on `state` and returns its record. Never throws for a request the queue can
 * answer: an unknown operation gives INVALID_MODE ("Invalid mode selected."), malformed arguments give
 * INVALID_ARGS, and in both cases the state is unchanged. `state` itself is never modified.
 */
export function runQueueOperation(
  state: Readonly<QueueState>,
  request: QueueRequest,
  options: QueueOptions = {},
  seq = 1,
): QueueRecord {
  const handlers: Readonly<Record<string, QueueHandler>> = { ...QUEUE_HANDLERS, ...options.handlers };
  const handler = Object.hasOwn(handlers, request.op) ? handlers[request.op] : undefined;
  const parsed = argsSchema.safeParse(request.args ?? {});
  const base = {
    seq,
    op: String(request.op),
    args: (parsed.success ? parsed.data : (request.args ?? {})) as QueueOpArgs,
    ...(request.toolCallId === undefined ? {} : { toolCallId: request.toolCallId }),
  };
  const before = state as QueueState;
  if (!handler) {
    return {
      ...base,
      ok: false,
      code: 'INVALID_MODE',
      message: 'Invalid mode selected.',
      update: {},
      before,
      after: before,
    };
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = `Invalid arguments for ${request.op}: ${issue?.path.join('.') || 'args'} ${issue?.message ?? 'is invalid'}.`;
    return { ...base, ok: false, code: 'INVALID_ARGS', message, update: {}, before, after: before };
  }
  const result = handler(before, parsed.data as QueueOpArgs, {
    onUnfinished: options.onUnfinished ?? 'error',
  });
  const after = applyQueueUpdate(before, result.update, base.op);
  const record: QueueRecord = {
    ...base,
    ok: result.ok,
    code: result.code,
    message: result.message,
    update: result.update,
    before,
    after,
  };
  if (result.task !== undefined) record.task = result.task;
  if (result.status !== undefined) record.status = result.status;
  return record;
}
