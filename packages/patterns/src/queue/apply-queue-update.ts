import { TaskGraphError } from '@taskgraph/core';
import type { QueueState } from './queue-state.js';
import { QUEUE_STATE_KEYS, queueStateSchema } from './queue-state.js';
import { UnknownStateKeyError } from './unknown-state-key-error.js';

/**
 * The state after `update`: a new object, `state` is left as it is. Every key of the update must be a
 * key of the queue state (else UnknownStateKeyError) and the result must be a valid state (else
 * INVALID_ARGUMENT naming the JSON path).
 */
export function applyQueueUpdate(state: Readonly<QueueState>, update: object, op = 'update'): QueueState {
  for (const key of Object.keys(update)) {
    if (!QUEUE_STATE_KEYS.includes(key)) throw new UnknownStateKeyError({ op, key, known: QUEUE_STATE_KEYS });
  }
  const next = { ...state, ...update };
  const checked = queueStateSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `runQueueOperation: the "${op}" operation leaves an invalid queue state at ${['$', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return next as QueueState;
}
