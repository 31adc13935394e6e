import { describe, expect, it } from 'vitest';
import type { ResponseCache } from '../store/response-cache.js';

/**
 * The tests every ResponseCache passes. An implementation runs them in a few lines:
 * `responseCacheConformance('MyCache', async () => new MyCache())`.
 */
export function responseCacheConformance(
  name: string,
  make: () => ResponseCache | Promise<ResponseCache>,
): void {
  describe(`ResponseCache conformance: ${name}`, () => {
    const result = {
      message: { role: 'assistant' as const, content: 'hello', finishReason: 'stop' },
      usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 },
      model: 'm',
      costUsd: 0.25,
    };

    it('misses a key never set', async () => {
      expect(await (await make()).get('nothing-here')).toBeUndefined();
    });

    it('returns what was set, as a copy', async () => {
      const cache = await make();
      await cache.set('key-1', result);
      const got = await cache.get('key-1');
      expect(got).toEqual(result);
      if (got) got.message.content = 'mutated';
      expect((await cache.get('key-1'))?.message.content).toBe('hello');
    });

    it('replaces an entry set again', async () => {
      const cache = await make();
      await cache.set('key-2', result);
      await cache.set('key-2', { ...result, costUsd: null });
      expect((await cache.get('key-2'))?.costUsd).toBeNull();
    });
  });
}
