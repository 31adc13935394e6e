import { TaskGraphError } from '@taskgraph/core';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis client for `url` (`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS). Commands
 * wait for a reconnection instead of failing (what BullMQ's workers need); callers bound their waits.
 */
export function redisClient(url: string, api: string, options: RedisOptions = {}): Redis {
  checkRedisUrl(url, api);
  return new Redis(url, {
    maxRetriesPerRequest: null,
    // Reconnect quickly at first, then every two seconds at most.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
    ...options,
  });
}

/** A URL Redis clients accept; anything else is INVALID_ARGUMENT naming the option. */
export function checkRedisUrl(url: unknown, api: string): asserts url is string {
  let protocol: string | undefined;
  try {
    protocol = typeof url === 'string' ? new URL(url).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: \`redis\` must be a Redis URL such as "redis://127.0.0.1:6379" (got ${JSON.stringify(url) ?? String(url)}).`,
    );
  }
}
