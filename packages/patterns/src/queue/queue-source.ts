import type { QueueState } from './queue-state.js';
import { emptyQueueState, parseQueueState } from './queue-state.js';
import type { QueueRecord } from './run-queue-operation.js';

/**
 * What a queue task reads the queue from: the record of the operation before it, a state, an object
 * holding one in `queue` (a supervisor's turn), or nothing (then `initial`, else an empty queue).
 */
export type QueueSource = QueueRecord | QueueState | { queue: QueueState } | undefined;

/** The state a source holds, and the seq of the last operation behind it (0 when none). */
export function readQueueSource(
  source: QueueSource,
  initial: unknown,
  api: string,
): { state: QueueState; seq: number } {
  if (source === undefined || source === null) {
    return { state: initial === undefined ? emptyQueueState() : parseQueueState(initial, api), seq: 0 };
  }
  if ('after' in source) return { state: source.after, seq: source.seq };
  if ('queue' in source) return { state: parseQueueState(source.queue, api), seq: 0 };
  return { state: parseQueueState(source, api), seq: 0 };
}
