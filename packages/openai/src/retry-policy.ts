import { TaskGraphError } from '@taskgraph/core';

/** How OpenAIHandler retries: exponential backoff with jitter, honouring Retry-After. */
export interface RetryOptions {
  /** Retries after the first request (default 2, so at most 3 requests per call). */
  maxRetries?: number;
  /** Delay before the first retry (default 500 ms); it doubles with each retry. */
  initialDelayMs?: number;
  /** Longest computed delay (default 8,000 ms). */
  maxDelayMs?: number;
  /** Fraction of each computed delay taken off at random, from 0 to 1 (default 0.25). */
  jitter?: number;
  /** Longest Retry-After the handler waits for (default 60,000 ms); a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** Waits between attempts; must settle early when `signal` aborts. Replace it in tests to skip the wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

/** Fills in the defaults and checks the numbers (code INVALID_ARGUMENT, naming the option). */
export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? 2,
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 8_000,
    jitter: options.jitter ?? 0.25,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  for (const key of ['maxRetries', 'initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = policy[key];
    if (!Number.isFinite(value) || value < 0) {
      throw invalid(`retry.${key}`, `must be a finite number >= 0 (got ${value}).`);
    }
  }
  if (!Number.isInteger(policy.maxRetries)) {
    throw invalid(`retry.maxRetries`, `must be an integer (got ${policy.maxRetries}).`);
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) {
    throw invalid(`retry.jitter`, `must be between 0 and 1 (got ${policy.jitter}).`);
  }
  return policy;
}

/**
 * The delay before retry number `retry` (1 for the first retry): the server's Retry-After when it sent one
 * (cut to `maxRetryAfterMs`), else `initialDelayMs * 2^(retry-1)` cut to `maxDelayMs`, less a random jitter.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), policy.maxRetryAfterMs);
  const base = Math.min(policy.initialDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
  return Math.round(base * (1 - policy.jitter * policy.random()));
}

/**
 * The wait a response asks for in its `retry-after-ms` or `retry-after` header (seconds or an HTTP date),
 * in milliseconds; `undefined` when it asks for none.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers?.get('retry-after');
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/** Waits `ms` milliseconds, or less when `signal` aborts first (it resolves; the caller checks the signal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function invalid(option: string, problem: string): TaskGraphError {
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `new OpenAIHandler: ${option} ${problem} Fix the retry option.`,
  );
}
