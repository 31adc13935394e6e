import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { TaskGraph, type TaskGraphError } from '@taskgraph/core';
import { startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from './fixtures/limits-program.js';
import { FIXTURES, startWorkerProcess, type WorkerProcess } from './worker-process.js';

const PROGRAM = join(FIXTURES, 'limits-program.ts');

let redis: RedisServer;
let server: TestServer;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer({
    respond: (request) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      void request.settled.then(() => inFlight--);
      return { fault: 'delay', ms: 150, reply: { content: `re ${request.lastUserText}` } };
    },
  });
  process.env.TEST_LLM_URL = server.url;
}, 30_000);

afterAll(async () => {
  await Promise.all([redis?.stop(), server?.close()]);
});

async function workers(queue: string, args: string[]): Promise<WorkerProcess[]> {
  const env = { TEST_LLM_URL: server.url };
  return Promise.all([
    startWorkerProcess(PROGRAM, redis.url, ['--queue', queue, ...args], env),
    startWorkerProcess(PROGRAM, redis.url, ['--queue', queue, ...args], env),
  ]);
}

function llmGraph(count: number, salt: string): TaskGraph {
  const graph = new TaskGraph();
  for (let i = 0; i < count; i++) {
    // The limits go by the model the task's params name.
    graph.addLLM({ id: `ask-${i}`, prompt: 'prompt', args: `${salt} ${i}`, params: { model: 'limited' } });
  }
  return graph;
}

describe('limits held in Redis, across all workers', () => {
  it('--llm-concurrency bounds the LLM calls in flight across two workers', async () => {
    const queue = `limits-${randomUUID().slice(0, 8)}`;
    const pool = await workers(queue, ['--llm-concurrency', '2']);
    const executor = new BullMQExecutor({ redis: redis.url, queue });
    mostInFlight = 0;
    try {
      const graph = llmGraph(8, 'concurrency');
      await graph.run(registry(), { executor, llmConcurrency: 8 });
      expect(graph.task('ask-7')?.output?.value).toBe('re concurrency 7');
      expect(mostInFlight).toBe(2);
    } finally {
      await executor.close();
      await Promise.all(pool.map((worker) => worker.kill()));
    }
  });

  it('--rpm holds a model to its requests per minute: a call past the limit waits for a slot', async () => {
    const queue = `limits-${randomUUID().slice(0, 8)}`;
    const pool = await workers(queue, ['--rpm', 'limited=2']);
    const executor = new BullMQExecutor({ redis: redis.url, queue });
    const client = new Redis(redis.url);
    const jobs = new Queue(`${queue}-llm`, { connection: client, prefix: 'taskgraph' });
    const controller = new AbortController();
    const salt = `rpm-${randomUUID().slice(0, 6)}`;
    const asked = () => server.requests.filter((request) => request.lastUserText.startsWith(salt)).length;
    try {
      const run = llmGraph(3, salt).run(registry(), {
        executor,
        llmConcurrency: 3,
        signal: controller.signal,
      });
      // Two calls took the model's two slots of the minute; the third is running on a worker, waiting.
      await until(async () => (await client.zcard(`taskgraph:${queue}:rate:limited`)) === 2 && asked() === 2);
      await until(async () => (await jobs.getActiveCount()) === 1 && (await jobs.getWaitingCount()) === 0);
      controller.abort();
      expect(((await run.catch((e) => e)) as TaskGraphError).code).toBe('CANCELLED');
      expect(asked()).toBe(2);
    } finally {
      await jobs.close();
      client.disconnect();
      await executor.close();
      await Promise.all(pool.map((worker) => worker.kill()));
    }
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
}
