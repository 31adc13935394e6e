import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLine, json, NESTED, NOT_A_PROGRAM, taskgraph, tempDir } from '../test/cli-process.js';

interface ErrorDocument {
  status?: string;
  error: { code: string; message: string; taskPath?: string[] };
}

describe('bad input: one line on stderr, a non-zero exit, never a stack', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let trace: string;
  let text: string;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    trace = join(dir, 'trace.json');
    expect((await taskgraph(['run', NESTED, '--trace', trace, '--quiet'])).code).toBe(0);
    text = await readFile(trace, 'utf8');
  });
  afterAll(() => remove());

  async function fails(args: string[], code: string): Promise<ErrorDocument> {
    const result = await taskgraph([...args, '--json']);
    expect(result.code).toBe(1);
    expect(isOneLine(result.stderr)).toBe(true);
    expect(result.stderr).toMatch(/^taskgraph \w+: /);
    const document = json<ErrorDocument>(result);
    expect(document.error.code).toBe(code);
    return document;
  }

  it('a missing trace file', async () => {
    await fails(['show', join(dir, 'missing.json')], 'INVALID_ARGUMENT');
  });

  it('a missing module file', async () => {
    await fails(['run', join(dir, 'missing.ts'), '--trace', join(dir, 'x.json')], 'INVALID_ARGUMENT');
  });

  it('a module that does not export a graph', async () => {
    await fails(['run', NOT_A_PROGRAM, '--trace', join(dir, 'x.json')], 'INVALID_ARGUMENT');
    await fails(['replay', trace, '--registry', NOT_A_PROGRAM], 'INVALID_ARGUMENT');
  });

  it('an unknown task id, suggesting the closest ids', async () => {
    const report = await fails(['edit', trace, 'sections>draftt', 'output', '"x"'], 'INVALID_ARGUMENT');
    expect(report.error.message).toContain('sections>draft');
    await fails(['show', trace, '--task', 'outlin'], 'INVALID_ARGUMENT');
    await fails(['replay', trace, '--dry-run', '--rerun', 'nothing-like-it'], 'INVALID_ARGUMENT');
    expect(await readFile(trace, 'utf8')).toBe(text);
  });

  it('an unknown field', async () => {
    const report = await fails(['edit', trace, 'outline', 'outptu', '"x"'], 'INVALID_ARGUMENT');
    expect(report.error.message).toContain('output');
    expect(await readFile(trace, 'utf8')).toBe(text);
  });

  it('a field the task does not have', async () => {
    await fails(['edit', trace, 'topic', 'prompt', '"x"'], 'INVALID_ARGUMENT');
    expect(await readFile(trace, 'utf8')).toBe(text);
  });

  it('a value that is not JSON', async () => {
    await fails(['edit', trace, 'outline', 'response', 'not json'], 'INVALID_ARGUMENT');
    await fails(
      ['edit', trace, 'outline', 'response', `@${join(dir, 'missing-value.json')}`],
      'INVALID_ARGUMENT',
    );
    await fails(['run', NESTED, '--trace', join(dir, 'x.json'), '--input', '{topic:'], 'INVALID_ARGUMENT');
    expect(await readFile(trace, 'utf8')).toBe(text);
  });

  it('a failing task: exit 1, the task named, the trace saved with what finished', async () => {
    const failed = join(dir, 'failed.json');
    const result = await taskgraph(['run', NESTED, '--trace', failed, '--json'], {
      TASKGRAPH_TEST_FAIL: 'polish',
    });
    expect(result.code).toBe(1);
    expect(isOneLine(result.stderr)).toBe(true);
    const report = json<ErrorDocument>(result);
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'TASK_FAILED', taskPath: ['sections', 'polish'] });
    const shown = json<{ record: { status: string; error: { message: string } } }>(
      await taskgraph(['show', failed, '--task', 'sections>polish', '--json']),
    );
    expect(shown.record.status).toBe('failed');
  });
});
