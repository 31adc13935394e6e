import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root: the CLI runs from there, so that `--import tsx` and module paths resolve. */
export const ROOT = resolve(here, '../../..');
export const CLI = join(ROOT, 'packages/cli/src/cli.ts');
export const QUICKSTART = join(ROOT, 'examples/quickstart/src/cli-entry.ts');
export const NESTED = join(here, 'fixtures/nested-program.ts');
export const SLOW = join(here, 'fixtures/slow-program.ts');
export const HUMAN = join(here, 'fixtures/human-program.ts');
export const NOT_A_PROGRAM = join(here, 'fixtures/not-a-program.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `taskgraph` command as a subprocess, from its TypeScript entry through tsx (what
 * `node dist/cli.js` runs once built), with the workspace packages' `source` condition.
 */
export function taskgraph(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', CLI, ...args],
      { cwd: ROOT, env: { ...process.env, OPENAI_API_KEY: '', CI: '1', ...env }, timeout: 25_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** `--json` output of a command, parsed. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  return JSON.parse(result.stdout) as T;
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'taskgraph-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The stderr of a failed command holds one line and no stack. */
export function isOneLine(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.length === 1 && !/^\s+at /m.test(stderr);
}
