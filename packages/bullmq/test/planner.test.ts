import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { type RedisServer, startRedisServer } from '@taskgraph/bullmq/testing';
import { type RecordedRequest, startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, input, TASKS } from './fixtures/planner-program.js';
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

/** The completed tasks a worker prompt lists (its system message ends with the info as JSON). */
function toldCompleted(request: RecordedRequest): string[] {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const info = JSON.parse(system.slice(system.indexOf('Info so far: ') + 'Info so far: '.length));
  return (info.completed_tasks as Array<{ task: string }>).map((t) => t.task);
}

describe('a planner run on workers', () => {
  it('its workers get the completed tasks and the no-repeat rule holds: the steps read the run in the scheduler', async () => {
    const queue = `planner-${randomUUID().slice(0, 8)}`;
    const worker = await startWorkerProcess(
      join(FIXTURES, 'planner-program.ts'),
      redis.url,
      ['--queue', queue],
      {
        TEST_LLM_URL: server.url,
      },
    );
    const executor = new BullMQExecutor({ redis: redis.url, queue });
    try {
      const { result } = await build().planner.run(input, { executor });
      const tasks = [...Array.from({ length: TASKS }, (_, i) => `task ${i + 1}`), 'wrap up'];
      expect(result.status).toBe('complete');
      expect(result.completedTasks.map((t) => t.task)).toEqual(tasks);
      expect(result.skipped).toEqual(['task 1']);
      // Every worker LLM call went from the worker, told every task completed before its own.
      expect(requests.map((request) => request.headers['x-worker-pid'])).toEqual(
        tasks.map(() => String(worker.pid)),
      );
      expect(requests.map(toldCompleted)).toEqual(tasks.map((_, i) => tasks.slice(0, i)));
    } finally {
      await executor.close();
      await worker.stop();
    }
  }, 60_000);
});
