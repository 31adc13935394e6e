import type { JsonValue } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { z } from 'zod';

/** A task in the queue: any JSON value but null (null means "no current task"). Usually a string. */
export type QueueItem = Exclude<JsonValue, null>;

export const queueItemSchema: z.ZodType<QueueItem> = z
  .json()
  .refine((value) => value !== null, 'a queue item cannot be null') as z.ZodType<QueueItem>;

/** A finished task, with what its worker returned (when something did). */
export interface DoneEntry {
  task: QueueItem;
  result?: JsonValue;
  /** The named worker that held it; absent for the current task. */
  worker?: string;
}

/** A task that could not be done, with why. */
export interface FailedEntry {
  task: QueueItem;
  error: string;
  worker?: string;
}

/** A task held by a named worker (parallel consumers each hold one; the single consumer uses `current`). */
export interface Claim {
  worker: string;
  task: QueueItem;
}

/**
 * The whole queue, as plain JSON: what is waiting (first in, first out), the current task, the tasks named
 * workers hold, and what is done or failed. Queue operations never change a state: they return a new one.
 */
export interface QueueState {
  pending: QueueItem[];
  current: QueueItem | null;
  claimed: Claim[];
  done: DoneEntry[];
  failed: FailedEntry[];
}

const worker = z.string().min(1);

export const queueStateSchema = z.strictObject({
  pending: z.array(queueItemSchema),
  current: queueItemSchema.nullable(),
  claimed: z.array(z.strictObject({ worker, task: queueItemSchema })),
  done: z.array(
    z.strictObject({ task: queueItemSchema, result: z.json().optional(), worker: worker.optional() }),
  ),
  failed: z.array(z.strictObject({ task: queueItemSchema, error: z.string(), worker: worker.optional() })),
});

/** The keys a queue state has; an update naming any other key is refused. */
export const QUEUE_STATE_KEYS: readonly string[] = Object.keys(queueStateSchema.shape);

/** A queue with `pending` waiting and nothing else. */
export function emptyQueueState(pending: readonly QueueItem[] = []): QueueState {
  return { pending: [...pending], current: null, claimed: [], done: [], failed: [] };
}

/**
 * Reads a queue state from JSON (a saved state, a hand edit), checking every field. Throws
 * INVALID_ARGUMENT naming the JSON path of the first problem.
 */
export function parseQueueState(value: unknown, api = 'parseQueueState'): QueueState {
  const parsed = queueStateSchema.safeParse(value);
  if (parsed.success) return parsed.data as QueueState;
  const issue = parsed.error.issues[0];
  const path = ['$', ...(issue?.path ?? [])].join('.');
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${api}: not a queue state at ${path}: ${issue?.message ?? 'invalid'}. A queue state is { pending, current, claimed, done, failed }.`,
  );
}

/** A queue item as the messages show it: strings as they are, anything else as JSON. */
export function itemText(item: QueueItem | null): string {
  if (item === null) return 'none';
  return typeof item === 'string' ? item : JSON.stringify(item);
}
