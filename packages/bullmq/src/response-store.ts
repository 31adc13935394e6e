import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
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
    const responseKey = this.#names.response(fingerprint);
    const claimKey = this.#names.claim(fingerprint);
    for (;;) {
      // One round trip: the stored response, or the claim taken, or "another worker holds it".
      const answer = (await this.#redis.eval(GET_OR_CLAIM, 2, responseKey, claimKey, token, this.#claimMs)) as
        | string
        | number;
      if (typeof answer === 'string') return { result: JSON.parse(answer) as LLMResult, stored: true };
      if (answer === 1) break;
      if (signal.aborted) throw signal.reason;
      // Woken early when the call is aborted; the loop then throws its reason.
      await delay(this.#pollMs, undefined, { signal }).catch(() => {});
    }
    const renew = setInterval(() => {
      void this.#redis.pexpire(claimKey, this.#claimMs).catch(() => {});
    }, this.#claimMs / 3);
    let kept = false;
    try {
      const result = await call();
      // One round trip: the response kept, then the claim freed.
      await this.#redis.eval(
        KEEP_AND_RELEASE,
        2,
        responseKey,
        claimKey,
        JSON.stringify(result),
        this.#ttlSeconds,
        token,
      );
      kept = true;
      return { result, stored: false };
    } finally {
      clearInterval(renew);
      if (!kept) await this.#redis.eval(RELEASE, 1, claimKey, token).catch(() => {});
    }
  }
}

/** The response (a string), else 1 when the claim is taken now, else 0 (another worker holds it). */
const GET_OR_CLAIM = `
local stored = redis.call('get', KEYS[1])
if stored then return stored end
if redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0
`;

/** Keeps the response, then frees the claim if this worker still holds it. */
const KEEP_AND_RELEASE = `
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
if redis.call('get', KEYS[2]) == ARGV[3] then redis.call('del', KEYS[2]) end
return 1
`;

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
