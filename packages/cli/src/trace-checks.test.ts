import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TRACE_FILE_VERSION, TRACE_SCHEMA_URL } from '@taskgraph/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLine, json, NESTED, taskgraph, tempDir } from '../test/cli-process.js';

interface ErrorDocument {
  valid?: boolean;
  error: { code: string; path?: string; message: string };
}

describe('taskgraph validate and schema', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let trace: string;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    trace = join(dir, 'trace.json');
    expect((await taskgraph(['run', NESTED, '--trace', trace, '--quiet'])).code).toBe(0);
  });
  afterAll(() => remove());

  it('accepts a trace the CLI wrote', async () => {
    const result = await taskgraph(['validate', trace, '--json']);
    expect(result.code).toBe(0);
    expect(json(result)).toMatchObject({ valid: true, version: TRACE_FILE_VERSION, tasks: 6 });
  });

  it('rejects a broken trace naming the JSON path, in one line, and leaves the file untouched', async () => {
    const broken = join(dir, 'broken.json');
    const document = JSON.parse(await readFile(trace, 'utf8'));
    document.graph.tasks[2].graph.tasks[0].status = 'finished';
    const text = JSON.stringify(document, null, 2);
    await writeFile(broken, text);
    const result = await taskgraph(['validate', broken, '--json']);
    expect(result.code).toBe(1);
    expect(isOneLine(result.stderr)).toBe(true);
    const report = json<ErrorDocument>(result);
    expect(report.valid).toBe(false);
    expect(report.error.code).toBe('INVALID_TRACE');
    expect(report.error.path).toBe('$.graph.tasks[2].graph.tasks[0].status');
    expect(result.stderr).toContain(report.error.path);
    expect(await readFile(broken, 'utf8')).toBe(text);
  });

  it('rejects a file that is not JSON at path $', async () => {
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{ "format": ');
    const result = await taskgraph(['validate', garbage, '--json']);
    expect(result.code).toBe(1);
    expect(json<ErrorDocument>(result).error).toMatchObject({ code: 'INVALID_TRACE', path: '$' });
  });

  it('rejects a trace of a newer format version, naming the version problem', async () => {
    const newer = join(dir, 'newer.json');
    const document = JSON.parse(await readFile(trace, 'utf8'));
    document.version = TRACE_FILE_VERSION + 1;
    await writeFile(newer, JSON.stringify(document));
    for (const command of ['validate', 'show']) {
      const result = await taskgraph([command, newer, '--json']);
      expect(result.code).toBe(1);
      expect(isOneLine(result.stderr)).toBe(true);
      expect(json<ErrorDocument>(result).error.code).toBe('UNSUPPORTED_TRACE_VERSION');
    }
  });

  it('schema prints the JSON Schema of the trace format', async () => {
    const result = await taskgraph(['schema']);
    expect(result.code).toBe(0);
    expect(json(result)).toMatchObject({ $id: TRACE_SCHEMA_URL, title: 'taskgraph trace' });
  });
});
