import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { TaskGraph } from '@taskgraph/core';
import { journalPath } from '@taskgraph/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graph, registry } from './fixtures/llm-program.js';
import { LLM_PROGRAM, type LLMServer, outputs, paidTwice, startLLMServer } from './llm-fixture.js';
import { WorkerPool } from './worker-pool.js';
import { CLI, ROOT } from './worker-process.js';

const PROMPTS = 19;

let redis: RedisServer;
let server: LLMServer;
let pool: WorkerPool;
let dir: string;
const queue = `scheduler-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startLLMServer()]);
  process.env.TEST_LLM_URL = server.url;
  dir = await mkdtemp(join(tmpdir(), 'taskgraph-scheduler-'));
  pool = new WorkerPool(LLM_PROGRAM, redis.url, ['--queue', queue], { TEST_LLM_URL: server.url });
  await pool.grow(2);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await Promise.all([redis?.stop(), server?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `taskgraph run <llm program> --executor bullmq` as a child process: the scheduler. */
function scheduler(trace: string, salt: string): { child: ChildProcess; exited: Promise<number | null> } {
  const args = ['run', LLM_PROGRAM, '--executor', 'bullmq', '--redis', redis.url, '--queue', queue];
  args.push('--trace', trace, '--input', JSON.stringify({ salt }), '--llm-concurrency', '64', '--quiet');
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', TEST_LLM_URL: server.url },
    stdio: 'ignore',
  });
  return { child, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
}

describe('the scheduler killed (SIGKILL) mid-run', () => {
  it('running the same program with the same trace resumes from its journal while the workers keep serving; no response is paid twice', async () => {
    const uninterrupted = graph({ salt: 'baseline' });
    await uninterrupted.run(registry(), { llmConcurrency: 64 });
    const want = outputs(uninterrupted);
    for (let trial = 0; trial < 2; trial++) {
      const salt = `resume-${trial}-${randomUUID().slice(0, 6)}`;
      const trace = join(dir, `${salt}.json`);
      const first = scheduler(trace, salt);
      // Killed once some work is journaled, at a random moment after.
      let exited = false;
      void first.exited.then(() => {
        exited = true;
      });
      while (!exited && ((await stat(journalPath(trace)).catch(() => undefined))?.size ?? 0) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);
      expect(await scheduler(trace, salt).exited).toBe(0);
      const resumed = TaskGraph.fromJSON(JSON.parse(await readFile(trace, 'utf8')));
      expect(outputs(resumed)).toEqual(JSON.parse(JSON.stringify(want).replaceAll('baseline', salt)));
      const paid = paidTwice(server, salt, [], 0);
      expect(paid.prompts).toBe(PROMPTS);
      expect(paid.paidTwice).toEqual([]);
    }
  }, 90_000);
});

describe('responses kept in Redis by fingerprint', () => {
  it('a run whose calls were answered before (by any worker) pays for none of them again', async () => {
    const salt = `kept-${randomUUID().slice(0, 6)}`;
    const executor = new BullMQExecutor({ redis: redis.url, queue });
    try {
      await graph({ salt }).run(registry(), { executor, llmConcurrency: 64 });
      const before = server.requests.length;
      // A fresh graph, no trace: only Redis knows the answers.
      const again = graph({ salt });
      await again.run(registry(), { executor, llmConcurrency: 64 });
      expect(server.requests.length).toBe(before);
      expect(again.task('refine-0')?.output?.value).toContain(salt);
    } finally {
      await executor.close();
    }
  });
});
