import { FunctionRegistry } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { loop, registry, TURNS } from './fixtures/loop-program.js';
import { llmTestBed, onWorker } from './program-on-worker.js';

const bed = llmTestBed();

describe('an agent loop run on workers', () => {
  it('calls the LLM on a worker with the whole conversation, read in the scheduler at every turn', async () => {
    await onWorker(bed, 'loop-program.ts', async (executor, worker) => {
      const { requests } = bed;
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
    });
  }, 60_000);

  it('a registry that includes the loop indexes its conversations too', () => {
    const included = new FunctionRegistry().include(registry());
    expect(included.graphHooks).toHaveLength(1);
  });
});
