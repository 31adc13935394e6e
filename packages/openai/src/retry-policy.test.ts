import { describe, expect, it } from 'vitest';
import { parseRetryAfter, resolveRetryPolicy, retryDelay, sleep } from './retry-policy.js';

describe('parseRetryAfter', () => {
  it('reads retry-after in seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
  });

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
  });

  it('asks for no wait when the header is absent or unreadable', () => {
    expect([parseRetryAfter(new Headers()), parseRetryAfter(new Headers({ 'retry-after': 'soon' }))]).toEqual(
      [undefined, undefined],
    );
  });
});

describe('retryDelay', () => {
  const policy = resolveRetryPolicy({
    initialDelayMs: 100,
    maxDelayMs: 1000,
    jitter: 0,
    maxRetryAfterMs: 5000,
  });

  it('doubles the delay with each retry up to maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelay(policy, retry, undefined))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('waits as long as retry-after asks, up to maxRetryAfterMs', () => {
    expect([retryDelay(policy, 1, 3000), retryDelay(policy, 1, 60_000)]).toEqual([3000, 5000]);
  });

  it('takes at most the jitter fraction off the delay', () => {
    const jittered = resolveRetryPolicy({ initialDelayMs: 1000, jitter: 0.25, random: () => 0.999 });
    expect(retryDelay(jittered, 1, undefined)).toBe(750);
  });
});

describe('resolveRetryPolicy', () => {
  it('rejects a negative maxRetries with INVALID_ARGUMENT', () => {
    expect(() => resolveRetryPolicy({ maxRetries: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('rejects a jitter above 1 with INVALID_ARGUMENT', () => {
    expect(() => resolveRetryPolicy({ jitter: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('sleep', () => {
  it('settles at once when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(3_600_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
