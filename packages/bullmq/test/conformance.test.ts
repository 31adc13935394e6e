import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { executorConformance } from '@taskgraph/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { FIXTURES, startWorkerProcess, type WorkerProcess } from './worker-process.js';

// Two worker processes serve every test; each test has its own executor (its own scheduler).
let redis: RedisServer;
const workers: WorkerProcess[] = [];
const queue = `conformance-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  redis = await startRedisServer();
  const module = join(FIXTURES, 'conformance-program.ts');
  workers.push(
    ...(await Promise.all([
      startWorkerProcess(module, redis.url, ['--queue', queue]),
      startWorkerProcess(module, redis.url, ['--queue', queue]),
    ])),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await redis?.stop();
});

executorConformance('BullMQExecutor', () => {
  const executor = new BullMQExecutor({ redis: redis.url, queue });
  return { executor, close: () => executor.close() };
});
