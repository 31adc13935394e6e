import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { FunctionRegistry } from '@taskgraph/core';
import { type RecordedRequest, startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loop, registry, TURNS } from './fixtures/loop-program.js';
import { FIXTURES, startWorkerProcess } from './worker-process.js';

let redis: RedisServer;
let server: TestServer;
const requests: RecordedRequest[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer({
    respond: (request) => {
      requests.push(request);
      return `reply ${requests.length}`;
    },
  });
  process.env.TEST_LLM_URL = server.url;
}, 30_000);

afterAll(async () => {
  await Promise.all([redis?.stop(), server?.close()]);
});

describe('an agent loop run on workers', () => {
  it('calls the LLM on a worker with the whole conversation, read in the scheduler at every turn', async () => {
    const queue = `loop-${randomUUID().slice(0, 8)}`;
    const worker = await startWorkerProcess(
      join(FIXTURES, 'loop-program.ts'),
      redis.url,
      ['--queue', queue],
      {
        TEST_LLM_URL: server.url,
      },
    );
    const executor = new BullMQExecutor({ redis: redis.url, queue });
    try {
      const run = await loop.run(registry(), 'hello', { executor });
      expect([run.status, run.turns]).toEqual(['FIXED_TURNS', TURNS]);
      const { history } = run.state;
      expect(history).toHaveLength(TURNS + 1);
      // Every LLM call went from the worker, each with the conversation so far (system prompt first).
      expect(requests.map((request) => request.headers['x-worker-pid'])).toEqual(
        requests.map(() => String(worker.pid)),
      );
      const sizes = requests.map((request) => (request.body as { messages: unknown[] }).messages.length);
      expect(sizes).toEqual(sizes.map((_, i) => 2 + 2 * i));
      // The function responder ran in the scheduler and read the whole conversation before its turn.
      const users = history.filter((message) => message.sender === 'user');
      expect(users.map((message) => message.content)).toEqual(
        users.map((_, i) => `after ${2 + 2 * i} messages: reply ${i + 1}`),
      );
    } finally {
      await executor.close();
      await worker.stop();
    }
  }, 60_000);

  it('a registry that includes the loop indexes its conversations too', () => {
    const included = new FunctionRegistry().include(registry());
    expect(included.graphHooks).toHaveLength(1);
  });
});
