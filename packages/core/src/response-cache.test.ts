import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResponseCache } from './response-cache.js';
import { DiskResponseCache, MemoryResponseCache } from './response-cache.js';

const implementations: Array<[string, () => Promise<ResponseCache>]> = [
  ['MemoryResponseCache', async () => new MemoryResponseCache()],
  [
    'DiskResponseCache',
    async () => new DiskResponseCache(join(await mkdtemp(join(tmpdir(), 'taskgraph-cache-')), 'nested')),
  ],
];

describe.each(implementations)('ResponseCache conformance: %s', (_name, make) => {
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
