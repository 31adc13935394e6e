import type { RecordedRequest } from '@taskgraph/openai/testing';
import { describe, expect, it } from 'vitest';
import { build, input, TASKS } from './fixtures/planner-program.js';
import { llmTestBed, onWorker } from './program-on-worker.js';

const bed = llmTestBed();

/** The completed tasks a worker prompt lists (its system message ends with the info as JSON). */
function toldCompleted(request: RecordedRequest): string[] {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const info = JSON.parse(system.slice(system.indexOf('Info so far: ') + 'Info so far: '.length));
  return (info.completed_tasks as Array<{ task: string }>).map((t) => t.task);
}

describe('a planner run on workers', () => {
  it('its workers get the completed tasks and the no-repeat rule holds: the steps read the run in the scheduler', async () => {
    await onWorker(bed, 'planner-program.ts', async (executor, worker) => {
      const { result } = await build().planner.run(input, { executor });
      const tasks = [...Array.from({ length: TASKS }, (_, i) => `task ${i + 1}`), 'wrap up'];
      expect(result.status).toBe('complete');
      expect(result.completedTasks.map((t) => t.task)).toEqual(tasks);
      expect(result.skipped).toEqual(['task 1']);
      // Every worker LLM call went from the worker, told every task completed before its own.
      expect(bed.requests.map((request) => request.headers['x-worker-pid'])).toEqual(
        tasks.map(() => String(worker.pid)),
      );
      expect(bed.requests.map(toldCompleted)).toEqual(tasks.map((_, i) => tasks.slice(0, i)));
    });
  }, 60_000);
});
