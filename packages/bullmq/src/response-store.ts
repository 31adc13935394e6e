import { randomUUID } from 'node:crypto';
import type { LLMResult } from '@taskgraph/core';
import type { Redis } from 'ioredis';
import type { QueueNames } from './queue-names.js';

export interface ResponseStoreOptions {
  /** How long a received response is kept, in seconds (default: one day). */
  ttlSeconds?: number;
  /** How long a claim lasts without renewal, in ms: a worker that dies holding one frees it after this. */
  claimMs?: number;
  /** How often a worker waiting for another's call looks again, in ms. */
  pollMs?: number;
}

/**
 * LLM responses kept in Redis by their fingerprint, with one call at a time per fingerprint across all
 * workers: a worker claims the fingerprint before calling, keeps the response before its job completes,
 * and a retried job (its worker was killed, or its scheduler resumes) finds the response instead of
 * calling again. A worker that finds the claim held waits for the response, or for the claim to expire
 * when its holder died.
 */
export class ResponseStore {
  readonly #redis: Redis;
  readonly #names: QueueNames;
  readonly #ttlSeconds: number;
  readonly #claimMs: number;
  readonly #pollMs: number;

  constructor(redis: Redis, names: QueueNames, options: ResponseStoreOptions = {}) {
    this.#redis = redis;
    this.#names = names;
    this.#ttlSeconds = options.ttlSeconds ?? 86_400;
    this.#claimMs = options.claimMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 100;
  }

  async get(fingerprint: string): Promise<LLMResult | undefined> {
    const text = await this.#redis.get(this.#names.response(fingerprint));
    return text === null ? undefined : (JSON.parse(text) as LLMResult);
  }

  /**
   * The stored response of `fingerprint`, or the result of `call` made while holding the fingerprint's
   * claim (and stored before this resolves). `signal` stops a wait for another worker's call.
   */
  async getOrCall(
    fingerprint: string,
    signal: AbortSignal,
    call: () => Promise<LLMResult>,
  ): Promise<{ result: LLMResult; stored: boolean }> {
    const token = randomUUID();
    const claimKey = this.#names.claim(fingerprint);
    for (;;) {
      const stored = await this.get(fingerprint);
      if (stored) return { result: stored, stored: true };
      const claimed = await this.#redis.set(claimKey, token, 'PX', this.#claimMs, 'NX');
      if (claimed === 'OK') break;
      if (signal.aborted) throw signal.reason;
      await sleep(this.#pollMs, signal);
    }
    const renew = setInterval(() => {
      void this.#redis.pexpire(claimKey, this.#claimMs).catch(() => {});
    }, this.#claimMs / 3);
    try {
      // Another worker may have stored it between our look and our claim.
      const stored = await this.get(fingerprint);
      if (stored) return { result: stored, stored: true };
      const result = await call();
      await this.#redis.set(
        this.#names.response(fingerprint),
        JSON.stringify(result),
        'EX',
        this.#ttlSeconds,
      );
      return { result, stored: false };
    } finally {
      clearInterval(renew);
      await this.#release(claimKey, token).catch(() => {});
    }
  }

  /** Frees the claim if this worker still holds it. */
  async #release(key: string, token: string): Promise<void> {
    await this.#redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      1,
      key,
      token,
    );
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
