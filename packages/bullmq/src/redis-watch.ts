import type { TaskGraphError } from '@taskgraph/core';
import type { Redis } from 'ioredis';
import type { BullMQErrorCode } from './errors.js';
import { RedisLostError, RedisUnavailableError } from './errors.js';

export interface RedisWatchOptions {
  /** The URL, for errors. */
  url: string;
  /** A key the client set at start: when Redis answers without it, Redis lost its data. */
  key: string;
  /** How long Redis may stay silent before `onFailure`. */
  timeoutMs: number;
  /** Called once per failure, with REDIS_UNAVAILABLE or REDIS_LOST. */
  onFailure(error: TaskGraphError<BullMQErrorCode>): void;
}

/**
 * Looks at Redis every few hundred ms: silent for longer than `timeoutMs` is REDIS_UNAVAILABLE, an
 * answer without the client's key is REDIS_LOST. `failure` holds the failure until Redis answers
 * again with the key (set anew after a loss, so later runs may go on).
 */
export class RedisWatch {
  failure: TaskGraphError<BullMQErrorCode> | undefined;
  readonly #redis: Redis;
  readonly #options: RedisWatchOptions;
  readonly #timer: NodeJS.Timeout;
  #lastAnswer = Date.now();
  #checking = false;

  constructor(redis: Redis, options: RedisWatchOptions) {
    this.#redis = redis;
    this.#options = options;
    const every = Math.max(20, Math.min(500, options.timeoutMs / 4));
    this.#timer = setInterval(() => void this.#check(), every);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #check(): Promise<void> {
    const { url, key, timeoutMs } = this.#options;
    const silentFor = Date.now() - this.#lastAnswer;
    if (silentFor > timeoutMs && !this.failure) this.#fail(new RedisUnavailableError(url, silentFor));
    if (this.#checking) return;
    this.#checking = true;
    try {
      const present = await this.#redis.exists(key);
      this.#lastAnswer = Date.now();
      if (present === 1) {
        if (this.failure?.code === 'REDIS_UNAVAILABLE') this.failure = undefined;
        return;
      }
      await this.#redis.set(key, process.pid, 'EX', 86_400);
      this.#fail(new RedisLostError(url));
      // Calls made from now on run on the Redis that is there.
      this.failure = undefined;
    } catch {
      // Not answered: the silence is measured above.
    } finally {
      this.#checking = false;
    }
  }

  #fail(error: TaskGraphError<BullMQErrorCode>): void {
    this.failure = error;
    this.#options.onFailure(error);
  }
}
