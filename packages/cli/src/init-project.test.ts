import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOneLine, json, taskgraph, tempDir } from '../test/cli-process.js';

const FILES = [
  'package.json',
  '.gitignore',
  'README.md',
  'src/program.ts',
  'test/program.test.ts',
  'tsconfig.json',
];

describe('taskgraph init', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;

  beforeEach(async () => {
    temp = await tempDir();
  });
  afterEach(() => temp.remove());

  it('writes a project into a new folder, with the taskgraph packages of its own version', async () => {
    const dir = join(temp.dir, 'My Program');
    const result = await taskgraph(['init', dir, '--json']);
    expect(result.code).toBe(0);
    expect(json<{ files: string[] }>(result).files.sort()).toEqual([...FILES].sort());
    for (const file of FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const cli = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'my-program',
      type: 'module',
      dependencies: { '@taskgraph/core': `^${cli.version}`, '@taskgraph/openai': `^${cli.version}` },
      devDependencies: { '@taskgraph/cli': `^${cli.version}` },
    });
    expect(manifest.scripts.start).toBe('taskgraph run src/program.ts --trace trace.json');
  });

  it('refuses a folder that already has one of its files with INVALID_ARGUMENT, and writes nothing', async () => {
    await writeFile(join(temp.dir, 'README.md'), 'mine');
    const result = await taskgraph(['init', temp.dir, '--json']);
    expect(result.code).toBe(1);
    expect(json<{ error: { code: string; message: string } }>(result).error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"README.md"'),
    });
    expect(await readFile(join(temp.dir, 'README.md'), 'utf8')).toBe('mine');
    expect(existsSync(join(temp.dir, 'package.json'))).toBe(false);
    expect(isOneLine((await taskgraph(['init', temp.dir])).stderr)).toBe(true);
  });
});
