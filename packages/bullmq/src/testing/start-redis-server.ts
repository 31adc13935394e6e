import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TaskGraphError } from '@taskgraph/core';

/** A redis-server of its own, for tests and examples. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and removes its folder. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would; its data is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (what a Redis without persistence gives after a crash). */
  restart(): Promise<void>;
}

const PACKAGE = 'redis-server';

/**
 * Starts `redis-server` from PATH on a free port of 127.0.0.1, in a temporary folder, without
 * persistence. When it is missing: as root, installs Debian's `redis-server` package with apt-get;
 * otherwise throws one line naming the package to install.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer() ?? installRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'taskgraph-redis-'));
  let port = await freePort();
  let child: ChildProcess | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      child = await launch(binary, dir, port);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      port = await freePort();
    }
  }
  let current: ChildProcess = child;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (current.exitCode === null && current.signalCode === null) {
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill(signal);
      await exited;
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopWith('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGKILL');
      current = await launch(binary, dir, port);
    },
  };
}

function findRedisServer(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin', '/usr/sbin']) {
    const candidate = join(dir, PACKAGE);
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

function installRedisServer(): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) {
    // Test files start their servers in parallel processes: one of them installs, the others wait for it
    // (two apt-get at once fail on dpkg's lock).
    const unlock = lockInstall();
    try {
      const found = findRedisServer();
      if (found) return found;
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-qq', PACKAGE], { stdio: 'ignore', env });
    } catch {
      // reported below
    } finally {
      unlock?.();
    }
    const found = findRedisServer();
    if (found) return found;
  }
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `startRedisServer: redis-server is not on PATH. Install the "${PACKAGE}" package (apt-get install ${PACKAGE}, brew install redis).`,
  );
}

/** How long a process waits for another one's install, and the age past which a lock is left over. */
const INSTALL_WAIT_MS = 600_000;

/**
 * Takes the machine-wide install lock (a folder: making one is atomic), waiting while another process
 * holds it; returns its release, or undefined when redis-server appeared meanwhile or the wait ran out.
 */
function lockInstall(): (() => void) | undefined {
  const lock = join(tmpdir(), 'taskgraph-redis-server-install.lock');
  const deadline = Date.now() + INSTALL_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
    }
    if (findRedisServer() !== undefined || Date.now() > deadline) return undefined;
    try {
      // A lock older than the longest wait was left by a process that died: take it over.
      if (Date.now() - statSync(lock).mtimeMs > INSTALL_WAIT_MS)
        rmSync(lock, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
    Atomics.wait(pause, 0, 0, 500);
  }
}

function launch(binary: string, dir: string, port: number): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('redis-server did not start within 10 s')), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new TaskGraphError(
          'INVALID_ARGUMENT',
          `startRedisServer: ${error.message}: ${output.trim().slice(-300)}`,
        ),
      );
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`redis-server exited with code ${code}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
