import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, SLOW, taskgraph, tempDir } from '../test/cli-process.js';
import { WAITING } from '../test/fixtures/slow-program.js';
import { HAS_SCRIPT, interactive } from '../test/terminal.js';

interface RunDocument {
  status: string;
  summary: { ran: string[]; tasks: { reused: number } };
}

describe('Ctrl-C during taskgraph run', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let trace: string;

  beforeEach(async () => {
    temp = await tempDir();
    trace = join(temp.dir, 'run.json');
  });
  afterEach(() => temp.remove());

  /** Runs again to the end: what finished before the Ctrl-C is reused, the rest runs. */
  async function resume(): Promise<RunDocument> {
    const result = await taskgraph(['run', SLOW, '--trace', trace, '--json'], { TASKGRAPH_TEST_WAIT: '0' });
    expect(result.code).toBe(0);
    return json<RunDocument>(result);
  }

  it.each([
    ['on a terminal', true],
    ['on pipes', false],
  ])(
    'cancels the run on the first press %s: a message, the summary, exit 130, a resumable trace',
    async (_, terminal) => {
      const run = interactive(['run', SLOW, '--trace', trace], {}, { terminal });
      await run.waitFor(WAITING);
      run.interrupt();
      expect(await run.exited).toBe(130);
      const output = run.output();
      expect(output).toContain('Cancelling: stopping the tasks in flight');
      expect(output).toMatch(/2 tasks: 2 ran, 0 reused, 1 cancelled .* · \d+(\.\d)? m?s/);
      expect(output).toContain(`Trace: ${trace}`);
      // The live display (elapsed time first) runs on a terminal only.
      expect(/\d+ ms · tasks 1\/2 done/.test(output)).toBe(run.terminal);
      const resumed = await resume();
      expect(resumed.summary.ran).toEqual(['wait']);
      expect(resumed.summary.tasks.reused).toBe(1);
    },
  );

  it('exits at once on the second press, while a task ignores the cancel; the journal keeps what finished', async () => {
    const run = interactive(['run', SLOW, '--trace', trace], { TASKGRAPH_TEST_STUBBORN: '1' });
    expect(run.terminal).toBe(HAS_SCRIPT);
    await run.waitFor(WAITING);
    run.interrupt();
    await run.waitFor('Ctrl-C again to exit at once');
    run.interrupt();
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('Exited without waiting for the tasks in flight');
    expect(existsSync(`${trace}.journal`)).toBe(true);
    const resumed = await resume();
    expect(resumed.summary.ran).toEqual(['wait']);
  });
});
