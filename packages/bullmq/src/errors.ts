import { TaskGraphError } from '@taskgraph/core';

/** The codes of @taskgraph/bullmq's own errors (beside core's, which its executor and workers also raise). */
export const BULLMQ_ERROR_CODES = [
  /** Redis did not answer within the executor's `redisTimeoutMs` (down, unreachable, wrong URL). */
  'REDIS_UNAVAILABLE',
  /** Redis answers but no longer holds the run's jobs (restarted without persistence, flushed). */
  'REDIS_LOST',
  /** A worker's program differs from the scheduler's: another version of a function. */
  'WORKER_PROGRAM_MISMATCH',
  /** A job's data or result is not what this version of the package sends (another version on the other side). */
  'WIRE_FORMAT',
  /** BullMQ gave a job up (stalled more often than `maxStalledCount`, or its processor crashed). */
  'JOB_FAILED',
] as const;
export type BullMQErrorCode = (typeof BULLMQ_ERROR_CODES)[number];

/** Hides the password of a Redis URL, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Redis did not answer in time: every call in flight and every new one fails with it. */
export class RedisUnavailableError extends TaskGraphError<BullMQErrorCode> {
  override readonly name = 'RedisUnavailableError';
  readonly url: string;

  constructor(url: string, waitedMs: number, cause?: unknown) {
    super(
      'REDIS_UNAVAILABLE',
      `BullMQExecutor: Redis at ${redactUrl(url)} did not answer for ${waitedMs} ms. Check that redis-server runs and that the URL is right; the trace keeps every task that finished, so running again resumes.`,
      cause === undefined ? {} : { cause },
    );
    this.url = redactUrl(url);
  }
}

/** Redis answers again but without the run's jobs (it restarted empty, or its data was flushed). */
export class RedisLostError extends TaskGraphError<BullMQErrorCode> {
  override readonly name = 'RedisLostError';
  readonly url: string;

  constructor(url: string) {
    super(
      'REDIS_LOST',
      `BullMQExecutor: Redis at ${redactUrl(url)} lost the run's jobs (it restarted without persistence, or was flushed). Run again: the trace keeps every task that finished.`,
    );
    this.url = redactUrl(url);
  }
}
