import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { startRedisServer } from '@taskgraph/bullmq/testing';
import { TaskGraph, type TaskGraphError } from '@taskgraph/core';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from './fixtures/faults-program.js';
import { FIXTURES, startWorkerProcess, type WorkerProcess } from './worker-process.js';

const PROGRAM = join(FIXTURES, 'faults-program.ts');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskgraph-bullmq-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts a Redis and `count` workers serving the faults program on a queue of their own. */
async function deployment(count: number, args: readonly string[] = []) {
  const redis = await startRedisServer();
  const queue = `faults-${randomUUID().slice(0, 8)}`;
  const workers: WorkerProcess[] = await Promise.all(
    Array.from({ length: count }, () => startWorkerProcess(PROGRAM, redis.url, ['--queue', queue, ...args])),
  );
  return {
    redis,
    queue,
    async close() {
      await Promise.all(workers.map((worker) => worker.kill()));
      await redis.stop();
    },
  };
}

describe('Redis unreachable or lost', () => {
  it('a Redis that never answers fails the run with REDIS_UNAVAILABLE naming the URL, and keeps the trace', async () => {
    const redis = await startRedisServer();
    await redis.stop(); // nothing listens on its port any more
    const executor = new BullMQExecutor({ redis: redis.url, redisTimeoutMs: 300 });
    const trace = join(dir, 'unreachable.json');
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: 'text', args: 'x' });
    try {
      const error = (await graph.run(registry(), { executor, trace }).catch((e) => e)) as TaskGraphError;
      expect(error.code).toBe('TASK_FAILED');
      const cause = error.cause as TaskGraphError<string>;
      expect(cause.code).toBe('REDIS_UNAVAILABLE');
      expect(cause.message).toContain(redis.url);
      const saved = JSON.parse(await readFile(trace, 'utf8'));
      expect(saved.graph.tasks[0].error.code).toBe('REDIS_UNAVAILABLE');
    } finally {
      await executor.close();
    }
  });

  it('Redis killed mid-run: the calls in flight fail with REDIS_UNAVAILABLE, and the trace keeps what finished', async () => {
    const setup = await deployment(1);
    const executor = new BullMQExecutor({ redis: setup.redis.url, queue: setup.queue, redisTimeoutMs: 500 });
    const trace = join(dir, 'lost.json');
    const graph = new TaskGraph();
    const first = graph.addFunction({ id: 'first', fn: 'text', args: 'done before' });
    graph.addLLM({ id: 'slow', prompt: 'text', deps: [first], handler: 'slow', params: { delayMs: 20_000 } });
    let killed: Promise<void> | undefined;
    try {
      const error = (await graph
        .run(registry(), {
          executor,
          trace,
          onEvent: (event) => {
            if (event.type === 'llm:start') killed = setup.redis.kill();
          },
        })
        .catch((e) => e)) as TaskGraphError;
      expect(error.code).toBe('TASK_FAILED');
      expect((error.cause as TaskGraphError<string>).code).toBe('REDIS_UNAVAILABLE');
      const saved = JSON.parse(await readFile(trace, 'utf8')) as {
        graph: { tasks: Array<{ id: string; output?: unknown; status: string }> };
      };
      expect(saved.graph.tasks.find((task) => task.id === 'first')?.output).toBe('done before');
      expect(saved.graph.tasks.find((task) => task.id === 'slow')?.status).toBe('failed');
    } finally {
      await killed;
      await executor.close();
      await setup.close();
    }
  });

  it('Redis restarted empty mid-run: the calls in flight fail with REDIS_LOST', async () => {
    const setup = await deployment(1);
    const executor = new BullMQExecutor({
      redis: setup.redis.url,
      queue: setup.queue,
      redisTimeoutMs: 5_000,
    });
    const graph = new TaskGraph();
    graph.addLLM({ id: 'slow', prompt: 'text', args: 'q', handler: 'slow', params: { delayMs: 20_000 } });
    let restarted: Promise<void> | undefined;
    try {
      const error = (await graph
        .run(registry(), {
          executor,
          onEvent: (event) => {
            if (event.type === 'llm:start') restarted = setup.redis.restart();
          },
        })
        .catch((e) => e)) as TaskGraphError;
      expect((error.cause as TaskGraphError<string>).code).toBe('REDIS_LOST');
    } finally {
      await restarted;
      await executor.close();
      await setup.close();
    }
  });
});

describe('cancelling a distributed run', () => {
  it('removes its queued jobs and fires ctx.signal in the running ones', async () => {
    const setup = await deployment(1, ['--concurrency', '1']);
    const executor = new BullMQExecutor({ redis: setup.redis.url, queue: setup.queue });
    const marker = join(dir, 'cancel.log');
    const graph = new TaskGraph();
    for (let i = 0; i < 4; i++) graph.addFunction({ id: `wait-${i}`, fn: 'waitForAbort', args: { marker } });
    const controller = new AbortController();
    const queue = new Queue(`${setup.queue}-fn`, {
      connection: { url: setup.redis.url },
      prefix: 'taskgraph',
    });
    try {
      const run = graph.run(registry(), { executor, signal: controller.signal });
      // One call runs (the worker takes one at a time), three wait in the queue.
      await until(async () => (await readFile(marker, 'utf8').catch(() => '')).includes('started'));
      await until(async () => (await queue.getWaitingCount()) === 3);
      controller.abort();
      const error = (await run.catch((e) => e)) as TaskGraphError;
      expect(error.code).toBe('CANCELLED');
      expect(await queue.getWaitingCount()).toBe(0);
      await until(async () => (await readFile(marker, 'utf8')).includes('aborted'));
      const lines = (await readFile(marker, 'utf8')).trim().split('\n');
      expect(lines.filter((line) => line.startsWith('started'))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('aborted'))).toHaveLength(1);
    } finally {
      await queue.close();
      await executor.close();
      await setup.close();
    }
  });
});

describe('tasks added through ctx in a worker', () => {
  it('reach the scheduler as records and run like any other, a nested graph included', async () => {
    const setup = await deployment(2);
    const executor = new BullMQExecutor({ redis: setup.redis.url, queue: setup.queue });
    try {
      const maker = new TaskGraph();
      const n = maker.addFunction({ id: 'n', fn: 'number', args: 21 });
      maker.addFunction({ id: 'maker', fn: 'addGraph', deps: [n] });
      await maker.run(registry(), { executor });
      const inner = maker.task('maker/inner');
      expect(inner?.kind).toBe('graph');
      expect(inner?.createdBy).toBe('maker');
      expect(inner?.output?.value).toBe(42);
      expect(maker.task('maker/inner')?.status).toBe('done');
    } finally {
      await executor.close();
      await setup.close();
    }
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
}
