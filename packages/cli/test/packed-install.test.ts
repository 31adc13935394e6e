import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../viewer/src/server/web-build.js';
import { ROOT } from './cli-process.js';

/** The published packages, in dependency order. */
const PACKAGES = ['core', 'openai', 'otel', 'patterns', 'viewer', 'cli'] as const;
const SLOW = 600_000;

interface Packed {
  name: string;
  tarball: string;
  files: string[];
  manifest: Record<string, unknown> & { dependencies?: Record<string, string> };
}

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: { ...cleanEnv(), ...env }, timeout: SLOW, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** The environment without what pnpm or vitest set for this workspace, as a user's shell would be. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const workspaceOnly =
      (key.startsWith('npm_') && key !== 'npm_config_registry' && key !== 'npm_config_cache') ||
      key === 'INIT_CWD' ||
      key === 'NODE_OPTIONS' ||
      key.startsWith('VITEST') ||
      key === 'OPENAI_API_KEY';
    if (!workspaceOnly) env[key] = value;
  }
  return env;
}

async function packAll(destination: string): Promise<Packed[]> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await ensureWebBuild();
  const packed: Packed[] = [];
  for (const name of PACKAGES) {
    const dir = join(ROOT, 'packages', name);
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], dir);
    const { stdout } = await run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', destination], dir);
    const tarball = stdout.trim().split('\n').at(-1) as string;
    const files: string[] = [];
    let manifest = '';
    await list({
      file: tarball,
      onReadEntry: (entry) => {
        files.push(entry.path);
        if (entry.path === 'package/package.json') entry.on('data', (chunk: Buffer) => (manifest += chunk));
        else entry.resume();
      },
    });
    packed.push({ name, tarball, files, manifest: JSON.parse(manifest) as Packed['manifest'] });
  }
  return packed;
}

describe('the published packages, packed and installed with npm outside the repository', () => {
  let work: string;
  let packed: Packed[];
  let app: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'taskgraph-packed-'));
    packed = await packAll(work);
    app = join(work, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', ...packed.map((p) => p.tarball)], app);
  }, SLOW);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('each tarball has a README, the MIT LICENSE, its build, a repository and no workspace: range', async () => {
    const license = await readFile(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License/);
    for (const { name, files, manifest } of packed) {
      expect(files, name).toEqual(
        expect.arrayContaining([
          'package/README.md',
          'package/LICENSE',
          'package/dist/index.js',
          'package/dist/index.d.ts',
        ]),
      );
      expect(await readFile(join(ROOT, 'packages', name, 'LICENSE'), 'utf8'), name).toBe(license);
      expect(manifest.license, name).toBe('MIT');
      expect(manifest.repository, name).toMatchObject({ directory: `packages/${name}` });
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
      // The packages' own tests stay home; the new project's test (a template) ships.
      const tests = files.filter(
        (file) => file.endsWith('.test.ts') && !file.startsWith('package/templates/'),
      );
      expect(tests, name).toEqual([]);
    }
    expect(packed.find((p) => p.name === 'viewer')?.files).toContain('package/dist-web/index.html');
    expect(packed.find((p) => p.name === 'cli')?.files).toContain('package/templates/project/src/program.ts');
  });

  it(
    'runs a TypeScript program through the installed taskgraph command, offline',
    async () => {
      await writeFile(
        join(app, 'program.ts'),
        `import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { startOfflineHandler } from '@taskgraph/openai/testing';

const offline = await startOfflineHandler({ defaultReply: 'teal' });
export const registry = new FunctionRegistry().addHandler(offline.handler);
const prompt = registry.register('prompt', () => 'Name a colour.');
const shout = registry.register('shout', (_ctx, colour: string) => colour.toUpperCase());
export const graph = new TaskGraph();
graph.setOutput(graph.addFunction({ id: 'shout', fn: shout, deps: [graph.addLLM({ id: 'colour', prompt })] }));
export const teardown = () => offline.server.close();
`,
      );
      const { stdout } = await run(
        join(app, 'node_modules/.bin/taskgraph'),
        ['run', 'program.ts', '--json'],
        app,
      );
      expect(JSON.parse(stdout)).toMatchObject({
        status: 'done',
        output: 'TEAL',
        summary: { llmCalls: ['colour'] },
      });
      const shown = await run(
        join(app, 'node_modules/.bin/taskgraph'),
        ['show', 'trace.json', '--json'],
        app,
      );
      expect(JSON.parse(shown.stdout)).toMatchObject({ run: { status: 'done', program: 'program.ts' } });
    },
    SLOW,
  );

  it(
    'starts a project with taskgraph init that installs, runs, tests and type-checks with npm alone',
    async () => {
      await run(join(app, 'node_modules/.bin/taskgraph'), ['init', 'my-program'], app);
      const project = join(app, 'my-program');
      await run('npm', ['install', '--no-audit', '--no-fund', ...packed.map((p) => p.tarball)], project);
      const started = await run('npm', ['start', '--silent'], project);
      expect(JSON.parse(started.stdout)).toMatchObject({
        topic: 'rivers',
        facts: [
          'Stand-in fact 1 about rivers.',
          'Stand-in fact 2 about rivers.',
          'Stand-in fact 3 about rivers.',
        ],
      });
      const again = await run('npm', ['start', '--silent'], project);
      expect(again.stderr).toMatch(/3 tasks: 0 ran, 3 reused · 0 LLM calls/);
      await run('npm', ['test'], project);
      await run('npm', ['run', 'typecheck'], project);
    },
    SLOW,
  );
});
