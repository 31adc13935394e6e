import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { TaskGraph } from '@taskgraph/core';
import { startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { cpuWork, registry } from './distributed-program.js';
import { buildGraph } from './engine-ours.js';
import { mulberry32 } from './mulberry32.js';
import { readWorkload } from './workload.js';

const WORKER = fileURLToPath(new URL('./distributed-worker.ts', import.meta.url));

/** What the distributed bench measured; every time is a median of `runs` runs, in ms. */
export interface DistributedResults {
  w3: { tasks: number; inProcessMs: number; oneWorkerMs: number; twoWorkersMs: number };
  llm: {
    tasks: number;
    makespanMs: number;
    inProcessMs: number;
    criticalPathMs: number;
    workMs: number;
    limit: number;
    /** The most calls the server had in flight at once during the BullMQ runs. */
    mostInFlight: number;
  };
  cpu: { tasks: number; taskMs: number; oneWorkerMs: number; twoWorkersMs: number };
}

interface Deployment {
  redis: RedisServer;
  queue: string;
  workers: ChildProcess[];
}

async function startWorkers(redis: RedisServer, count: number, concurrency: number): Promise<Deployment> {
  const queue = `bench-${randomUUID().slice(0, 8)}`;
  const workers = await Promise.all(
    Array.from({ length: count }, () => startWorkerProcess(redis.url, queue, concurrency)),
  );
  return { redis, queue, workers };
}

function startWorkerProcess(redis: string, queue: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', WORKER, redis, queue, String(concurrency)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
}

async function stopWorkers(deployment: Deployment): Promise<void> {
  await Promise.all(
    deployment.workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs `build()`'s graph `runs` times (after one warm-up) through `executor`, and gives the median time. */
async function medianRun(
  build: () => TaskGraph,
  runs: number,
  options: Parameters<TaskGraph['run']>[1],
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const graph = build();
    const ms = await timed(() => graph.run(registry(), { maxTasks: Number.POSITIVE_INFINITY, ...options }));
    if (i > 0) times.push(ms);
  }
  return median(times);
}

/**
 * Runs `build()`'s graph on 1 worker and on 2 (each deployment started first), alternating between them
 * run by run, so that a change in the machine's load weighs on both alike; medians of `runs` timed runs
 * after one warm-up each.
 */
async function oneAndTwoWorkers(
  redis: RedisServer,
  build: () => TaskGraph,
  runs: number,
  concurrency: number,
): Promise<{ oneWorkerMs: number; twoWorkersMs: number }> {
  const deployments = [await startWorkers(redis, 1, concurrency), await startWorkers(redis, 2, concurrency)];
  const executors = deployments.map((d) => new BullMQExecutor({ redis: redis.url, queue: d.queue }));
  const times: number[][] = [[], []];
  try {
    for (let i = 0; i <= runs; i++) {
      for (const [k, executor] of executors.entries()) {
        const graph = build();
        const ms = await timed(() => graph.run(registry(), { maxTasks: Number.POSITIVE_INFINITY, executor }));
        if (i > 0) times[k]?.push(ms);
      }
    }
  } finally {
    await Promise.all(executors.map((executor) => executor.close()));
    await Promise.all(deployments.map(stopWorkers));
  }
  return { oneWorkerMs: median(times[0] as number[]), twoWorkersMs: median(times[1] as number[]) };
}

/** W3 (1,000 tasks) in process, then on 1 and 2 workers. */
async function w3Overhead(redis: RedisServer, runs: number): Promise<DistributedResults['w3']> {
  const workload = readWorkload('w3_random_1000');
  const build = () => buildGraph(workload);
  const inProcessMs = await medianRun(build, runs, {});
  const onWorkers = async (count: number) => {
    const deployment = await startWorkers(redis, count, 8);
    const executor = new BullMQExecutor({ redis: redis.url, queue: deployment.queue });
    try {
      return await medianRun(build, runs, { executor });
    } finally {
      await executor.close();
      await stopWorkers(deployment);
    }
  };
  return {
    tasks: workload.n,
    inProcessMs,
    oneWorkerMs: await onWorkers(1),
    twoWorkersMs: await onWorkers(2),
  };
}

/**
 * 2,000 LLM tasks answered by the test server after 50 to 200 ms each, each depending on up to 2 of the
 * 200 tasks before it (with probability 0.3 each), through 4 workers at a global limit of 64 calls.
 */
async function llmMakespan(redis: RedisServer, server: TestServer): Promise<DistributedResults['llm']> {
  const n = 2_000;
  const limit = 64;
  const random = mulberry32(12);
  const latency = new Map<string, number>();
  const deps: number[][] = [];
  for (let i = 0; i < n; i++) {
    latency.set(`l${i}`, 50 + Math.floor(random() * 151));
    const mine = new Set<number>();
    for (let k = 0; k < 2; k++)
      if (i > 0 && random() < 0.3) mine.add(Math.max(0, i - 1 - Math.floor(random() * 200)));
    deps.push([...mine].sort((a, b) => a - b));
  }
  const finish: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.max(0, ...(deps[i] as number[]).map((d) => finish[d] as number));
    finish.push(start + (latency.get(`l${i}`) as number));
  }
  const criticalPathMs = Math.max(...finish);
  const workMs = [...latency.values()].reduce((a, b) => a + b, 0);
  let inFlight = 0;
  let mostInFlight = 0;
  server.setDefaultReply((request) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    void request.settled.then(() => inFlight--);
    const id = /^(l\d+) after/.exec(request.lastUserText)?.[1] ?? '';
    return { fault: 'delay', ms: latency.get(id) ?? 100, reply: { content: `done ${request.lastUserText}` } };
  });
  // Each run has prompts of its own (the salt), so no answer comes from Redis.
  const build = () => {
    const salt = randomUUID().slice(0, 8);
    const graph = new TaskGraph();
    for (let i = 0; i < n; i++) {
      graph.addLLM({
        id: `l${i}`,
        prompt: 'prompt',
        deps: (deps[i] as number[]).map((d) => `l${d}`),
        params: { model: 'bench-model', salt },
      });
    }
    return graph;
  };
  // The same calls from this process alone: what the machine allows without Redis and workers.
  const inProcessMs = await medianRun(build, 1, { llmConcurrency: limit });
  mostInFlight = 0;
  const deployment = await startWorkers(redis, 4, 8);
  const executor = new BullMQExecutor({ redis: redis.url, queue: deployment.queue });
  try {
    // The scheduler keeps twice the limit queued, so that a worker always has the next call at hand;
    // the workers' global limit (leases in Redis) holds the calls at the server to `limit`.
    const makespanMs = await medianRun(build, 1, { executor, llmConcurrency: 2 * limit });
    return { tasks: n, makespanMs, inProcessMs, criticalPathMs, workMs, limit, mostInFlight };
  } finally {
    await executor.close();
    await stopWorkers(deployment);
  }
}

/** 400 independent CPU-bound function tasks of about 20 ms each, on 1 worker and on 2 (one call at a time each). */
async function cpuThroughput(redis: RedisServer, runs: number): Promise<DistributedResults['cpu']> {
  // Rounds of hashing that take about 20 ms here when nothing else runs: the fastest of a few probes
  // (the least disturbed by other processes), after a warm-up.
  const probe = 20_000;
  cpuWork(probe);
  const probes: number[] = [];
  for (let i = 0; i < 5; i++) probes.push(await timed(async () => cpuWork(probe)));
  const rounds = Math.max(1, Math.round((probe * 20) / Math.min(...probes)));
  const taskTimes: number[] = [];
  for (let i = 0; i < 5; i++) taskTimes.push(await timed(async () => cpuWork(rounds)));
  const taskMs = Math.min(...taskTimes);
  const n = 400;
  const build = () => {
    const graph = new TaskGraph();
    for (let i = 0; i < n; i++) graph.addFunction({ id: `c${i}`, fn: 'cpu', args: rounds });
    return graph;
  };
  return { tasks: n, taskMs, ...(await oneAndTwoWorkers(redis, build, runs, 1)) };
}

/** Runs the three distributed measures on a redis-server of their own. */
export async function distributedBench(runs: number): Promise<DistributedResults> {
  const redis = await startRedisServer();
  const server = await startTestServer();
  process.env.BENCH_LLM_URL = server.url;
  try {
    const w3 = await w3Overhead(redis, runs);
    const llm = await llmMakespan(redis, server);
    const cpu = await cpuThroughput(redis, runs);
    return { w3, llm, cpu };
  } finally {
    await server.close();
    await redis.stop();
  }
}
