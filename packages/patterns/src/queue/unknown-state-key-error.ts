import { TaskGraphError } from '@taskgraph/core';
import type { PatternErrorCode } from '../pattern-error-codes.js';

/**
 * A queue operation tried to set a key the queue state does not declare (a misspelt `task_to_process`
 * where `pending` was meant). The update is refused instead of silently dropped.
 */
export class UnknownStateKeyError extends TaskGraphError<PatternErrorCode> {
  override readonly name = 'UnknownStateKeyError';
  readonly key: string;
  readonly op: string;

  constructor({ op, key, known }: { op: string; key: string; known: readonly string[] }) {
    super(
      'UNKNOWN_STATE_KEY',
      `runQueueOperation: the "${op}" operation updates "${key}", which is not a key of the queue state. Update only ${known.join(', ')}.`,
    );
    this.key = key;
    this.op = op;
  }
}
