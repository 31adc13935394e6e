import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUMAN, tempDir } from '../test/cli-process.js';
import { interactive } from '../test/terminal.js';

describe('taskgraph run on a terminal with a task that asks a person', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('asks in place, refuses an answer the schema rejects, and goes on with a valid one', async () => {
    const trace = join(dir, 'trace.json');
    const run = interactive(['run', HUMAN, '--trace', trace], {});
    if (!run.terminal) {
      // Without a terminal nothing can be asked: the run ends waiting for the answer.
      expect(await run.exited).toBe(3);
      return;
    }
    await run.waitFor('Publish "a draft about rivers"?');
    const bad = '{"ok":"yes"}';
    run.type(`${bad}\r`);
    await run.waitFor('expected boolean');
    run.type(`${'\u007f'.repeat(bad.length)}{"ok":true}\r`);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('published: a draft about rivers');
    const saved = JSON.parse(await readFile(trace, 'utf8'));
    expect(saved.graph.tasks.find((t: { id: string }) => t.id === 'approve').answer).toEqual({ ok: true });
  });
});
