import type { Redis } from 'ioredis';
import type { QueueNames } from './queue-names.js';

/** Takes a slot in the window if one is free: returns 0, else how many ms until the oldest slot frees. */
const TAKE_SLOT = `
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('zremrangebyscore', key, '-inf', now - window)
if redis.call('zcard', key) < limit then
  redis.call('zadd', key, now, member)
  redis.call('pexpire', key, window)
  return 0
end
local oldest = redis.call('zrange', key, 0, 0, 'withscores')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * Requests per minute of each model, counted in Redis over a sliding window shared by every worker: a
 * call that finds its model's window full waits until a slot frees.
 */
export class RateLimiter {
  readonly #redis: Redis;
  readonly #names: QueueNames;
  readonly #perMinute: Readonly<Record<string, number>>;
  #sequence = 0;

  constructor(redis: Redis, names: QueueNames, perMinute: Readonly<Record<string, number>>) {
    this.#redis = redis;
    this.#names = names;
    this.#perMinute = perMinute;
  }

  /** Waits for a slot of `model` (at once when the model has no limit). */
  async take(model: string | undefined, signal: AbortSignal): Promise<void> {
    const limit = model === undefined ? undefined : this.#perMinute[model];
    if (model === undefined || limit === undefined) return;
    const member = `${process.pid}-${Date.now()}-${this.#sequence++}`;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const now = Date.now();
      const wait = Number(
        await this.#redis.eval(TAKE_SLOT, 1, this.#names.rate(model), now, 60_000, limit, member),
      );
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
    }
  }
}
