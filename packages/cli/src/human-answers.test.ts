import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUMAN, json, taskgraph, tempDir } from '../test/cli-process.js';

describe('taskgraph run and answer with a task that asks a person', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('pauses with exit 3 and the question, takes the answer, resumes with no LLM request repeated', async () => {
    const trace = join(dir, 'trace.json');
    const log = join(dir, 'calls.log');
    const env = { TASKGRAPH_TEST_CALL_LOG: log };
    const first = await taskgraph(['run', HUMAN, '--trace', trace, '--no-input'], env);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('approve: Publish "a draft about rivers"?');
    expect(first.stderr).toContain(`taskgraph answer ${trace} 'approve'`);
    const paused = JSON.parse(await readFile(trace, 'utf8'));
    expect(paused.run.status).toBe('waiting');
    expect(paused.graph.tasks.find((t: { id: string }) => t.id === 'approve').question).toBe(
      'Publish "a draft about rivers"?',
    );

    const before = await readFile(trace, 'utf8');
    const refused = await taskgraph(['answer', trace, 'approve', '{"ok":"yes"}'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ANSWER_INVALID|fails its schema/);
    expect(await readFile(trace, 'utf8')).toBe(before);

    const answered = await taskgraph(['answer', trace, 'approve', '{"ok":true}', '--json'], env);
    expect(answered.code).toBe(0);
    expect(json<{ answer: { value: unknown } }>(answered).answer.value).toEqual({ ok: true });

    const resumed = await taskgraph(['run', HUMAN, '--trace', trace, '--no-input', '--json'], env);
    expect(resumed.code).toBe(0);
    expect(json<{ output: string }>(resumed).output).toBe('published: a draft about rivers');
    // One request in the first run, none after: the paid call is reused from the trace.
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['requests 1', 'requests 0']);
  });

  it('reports the waiting questions as JSON', async () => {
    const trace = join(dir, 'trace.json');
    const result = await taskgraph(['run', HUMAN, '--trace', trace, '--json']);
    expect(result.code).toBe(3);
    const document = json<{
      status: string;
      waiting: Array<{ task: string; question: string; schema: unknown }>;
    }>(result);
    expect(document.status).toBe('waiting');
    expect(document.waiting).toEqual([
      {
        task: 'approve',
        taskPath: ['approve'],
        question: 'Publish "a draft about rivers"?',
        schema: expect.any(Object),
      },
    ]);
  });
});
