import { randomUUID } from 'node:crypto';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graph, registry } from './fixtures/llm-program.js';
import { type Kill, LLM_PROGRAM, type LLMServer, outputs, paidTwice, startLLMServer } from './llm-fixture.js';
import { WorkerPool } from './worker-pool.js';

/** Kills to reach; each run gets 2 at random moments (one that would land after its end does not count). */
const KILLS = 10;
const KILLS_PER_TRIAL = 2;
/** LLM calls of the program: 2 layers of 8, and 3 that a function task adds. */
const PROMPTS = 19;
/**
 * A worker killed between receiving an answer and keeping it in Redis (a few ms, more on a busy
 * machine) loses it: that one request may be paid again. Nothing else may.
 */
const RECEIVED_NOT_KEPT_MS = 30;

let redis: RedisServer;
let server: LLMServer;
let pool: WorkerPool;
const queue = `kill-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startLLMServer()]);
  process.env.TEST_LLM_URL = server.url;
  // Short locks, so that the jobs of a killed worker go to another one within about a second.
  pool = new WorkerPool(LLM_PROGRAM, redis.url, ['--queue', queue, '--lock-ms', '600'], {
    TEST_LLM_URL: server.url,
  });
  await pool.grow(3);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await Promise.all([redis?.stop(), server?.close()]);
});

describe('workers killed (SIGKILL) at random moments', () => {
  it(`end with the outputs of an uninterrupted run and pay no response twice (${KILLS} kills)`, async () => {
    const uninterrupted = graph({ salt: 'baseline' });
    await uninterrupted.run(registry(), { llmConcurrency: 64 });
    const want = outputs(uninterrupted);
    const kills: Kill[] = [];
    for (let trial = 0; kills.length < KILLS && trial < 3 * KILLS; trial++) {
      const salt = `trial-${trial}-${randomUUID().slice(0, 6)}`;
      const run = graph({ salt });
      const executor = new BullMQExecutor({ redis: redis.url, queue });
      const timers = Array.from({ length: KILLS_PER_TRIAL }, () =>
        setTimeout(() => {
          const pid = pool.killOne();
          if (pid) kills.push({ pid, at: Date.now() });
        }, Math.random() * 600),
      );
      try {
        await run.run(registry(), { executor, llmConcurrency: 64 });
      } finally {
        for (const timer of timers) clearTimeout(timer);
        await executor.close();
      }
      const got = outputs(run);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [id, value] of Object.entries(want)) {
        expect(got[id]).toEqual(JSON.parse(JSON.stringify(value).replaceAll('baseline', salt)));
      }
      const paid = paidTwice(server, salt, kills, RECEIVED_NOT_KEPT_MS);
      expect(paid.prompts).toBe(PROMPTS);
      expect(paid.paidTwice).toEqual([]);
      await pool.atLeast(1);
    }
    expect(kills.length).toBeGreaterThanOrEqual(KILLS);
  }, 120_000);
});
