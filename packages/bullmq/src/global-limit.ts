import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Takes a lease if fewer than the limit are held (leases past their expiry are dropped first): 1 if
 * taken, 0 if not, -1 when no limit is set.
 */
const TAKE_LEASE = `
local limit = tonumber(redis.call('get', KEYS[2]))
if not limit then return -1 end
local now = tonumber(ARGV[1])
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zcard', KEYS[1]) < limit then
  redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  return 1
end
return 0
`;

export interface GlobalLimitKeys {
  /** The sorted set of leases held, scored by their expiry. */
  leases: string;
  /** The limit, set by the workers. */
  limit: string;
}

/**
 * A limit on how many LLM calls are in flight across all workers, held in Redis as leases that expire:
 * a worker that dies holding some frees them after `leaseMs`; a live one renews its leases while its
 * calls run. A call that finds every lease taken looks again every `pollMs`.
 */
export class GlobalLimit {
  readonly #redis: Redis;
  readonly #keys: GlobalLimitKeys;
  readonly #leaseMs: number;
  readonly #pollMs: number;

  constructor(redis: Redis, keys: GlobalLimitKeys, options: { leaseMs: number; pollMs?: number }) {
    this.#redis = redis;
    this.#keys = keys;
    this.#leaseMs = options.leaseMs;
    this.#pollMs = options.pollMs ?? 20;
  }

  /** Sets the limit every worker of the queue obeys. */
  async set(limit: number): Promise<void> {
    await this.#redis.set(this.#keys.limit, limit);
  }

  /** Runs `call` holding a lease (at once when no limit is set). */
  async run<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { leases, limit } = this.#keys;
      const taken = Number(
        await this.#redis.eval(TAKE_LEASE, 2, leases, limit, Date.now(), this.#leaseMs, token),
      );
      if (taken === -1) return call();
      if (taken === 1) break;
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
    const renew = setInterval(() => {
      void this.#redis.zadd(this.#keys.leases, 'XX', Date.now() + this.#leaseMs, token).catch(() => {});
    }, this.#leaseMs / 3);
    try {
      return await call();
    } finally {
      clearInterval(renew);
      await this.#redis.zrem(this.#keys.leases, token).catch(() => {});
    }
  }
}
