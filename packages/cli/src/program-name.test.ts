import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOneLine, json, NESTED, SLOW, taskgraph, tempDir } from '../test/cli-process.js';
import { programName } from './program-name.js';

describe('programName', () => {
  it('is the module path relative to the trace folder, with / separators', () => {
    expect(programName('/work/app/src/graph.ts', '/work/app/trace.json')).toBe('src/graph.ts');
    expect(programName('/work/app/src/graph.ts', '/work/app/traces/run.json')).toBe('../src/graph.ts');
  });
});

describe('taskgraph run on a trace of another program', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let trace: string;

  beforeEach(async () => {
    temp = await tempDir();
    trace = join(temp.dir, 'trace.json');
  });
  afterEach(() => temp.remove());

  it('refuses it with TRACE_OF_ANOTHER_PROGRAM naming both modules, and leaves it as it was', async () => {
    expect((await taskgraph(['run', NESTED, '--trace', trace, '--quiet'])).code).toBe(0);
    const before = await readFile(trace, 'utf8');
    const refused = await taskgraph(['run', SLOW, '--trace', trace, '--json'], { TASKGRAPH_TEST_WAIT: '0' });
    expect(refused.code).toBe(1);
    expect(json<{ error: { code: string; message: string } }>(refused).error.code).toBe(
      'TRACE_OF_ANOTHER_PROGRAM',
    );
    const plain = await taskgraph(['run', SLOW, '--trace', trace], { TASKGRAPH_TEST_WAIT: '0' });
    expect(isOneLine(plain.stderr)).toBe(true);
    expect(plain.stderr).toContain(programName(NESTED, trace));
    expect(plain.stderr).toContain(programName(SLOW, trace));
    expect(await readFile(trace, 'utf8')).toBe(before);
  });

  it('replaces it with --fresh, and resumes its own', async () => {
    expect((await taskgraph(['run', NESTED, '--trace', trace, '--quiet'])).code).toBe(0);
    const fresh = await taskgraph(['run', SLOW, '--trace', trace, '--fresh', '--json'], {
      TASKGRAPH_TEST_WAIT: '0',
    });
    expect(fresh.code).toBe(0);
    const again = await taskgraph(['run', SLOW, '--trace', trace, '--json'], { TASKGRAPH_TEST_WAIT: '0' });
    expect(again.code).toBe(0);
    expect(json<{ summary: { tasks: { reused: number } } }>(again).summary.tasks.reused).toBe(2);
    expect(JSON.parse(await readFile(trace, 'utf8')).run.program).toBe(programName(SLOW, trace));
  });
});
