import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { type RecordedRequest, startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { afterAll, beforeAll } from 'vitest';
import { FIXTURES, startWorkerProcess, type WorkerProcess } from './worker-process.js';

/** What the tests of a file share: Redis, and the LLM test server with the requests it received. */
export interface TestBed {
  redis: RedisServer;
  server: TestServer;
  requests: RecordedRequest[];
}

/**
 * Starts Redis and an OpenAI-compatible test server before the tests of the file (the server answers
 * its n-th request with `reply n`) and stops them after.
 */
export function llmTestBed(): TestBed {
  const bed = { requests: [] as RecordedRequest[] } as TestBed;
  beforeAll(async () => {
    bed.redis = await startRedisServer();
    bed.server = await startTestServer({
      respond: (request) => {
        bed.requests.push(request);
        return `reply ${bed.requests.length}`;
      },
    });
    process.env.TEST_LLM_URL = bed.server.url;
  }, 30_000);
  afterAll(async () => {
    await Promise.all([bed.redis?.stop(), bed.server?.close()]);
  });
  return bed;
}

/**
 * Starts a `taskgraph worker` on the fixture `program` (on a queue of its own), gives `run` an executor
 * for it, and stops both once `run` settles.
 */
export async function onWorker(
  bed: TestBed,
  program: string,
  run: (executor: BullMQExecutor, worker: WorkerProcess) => Promise<void>,
): Promise<void> {
  const queue = `${program.replace(/\W/g, '-')}-${randomUUID().slice(0, 8)}`;
  const worker = await startWorkerProcess(join(FIXTURES, program), bed.redis.url, ['--queue', queue], {
    TEST_LLM_URL: bed.server.url,
  });
  const executor = new BullMQExecutor({ redis: bed.redis.url, queue });
  try {
    await run(executor, worker);
  } finally {
    await executor.close();
    await worker.stop();
  }
}
