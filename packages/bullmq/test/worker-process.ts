import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root: workers run from there, so that `--import tsx` and module paths resolve. */
export const ROOT = resolve(here, '../../..');
export const CLI = join(ROOT, 'packages/cli/src/cli.ts');
export const FIXTURES = join(here, 'fixtures');

/** A `taskgraph worker` child process. */
export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** SIGKILL: the worker dies at once, its jobs in hand stall. */
  kill(): Promise<void>;
  /** SIGTERM: the worker finishes its jobs in hand and exits. */
  stop(): Promise<void>;
}

/**
 * Starts `taskgraph worker <module> --redis <url> ...args` (through tsx, with the workspace's `source`
 * condition) and resolves once it says it is ready.
 */
export function startWorkerProcess(
  module: string,
  redis: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', CLI, 'worker', module, '--redis', redis, ...args],
    { cwd: ROOT, env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`worker did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Worker ready')) {
        clearTimeout(timer);
        ready({
          pid: child.pid as number,
          child,
          stderr: () => stderr,
          kill: () => signal('SIGKILL'),
          stop: () => signal('SIGTERM'),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`worker exited with ${code} before it was ready: ${stderr}`));
    });
  });
}
