import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskGraphError } from '@taskgraph/core';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where `vite build` writes the page, and where the server serves it from. */
export const WEB_ROOT = join(PACKAGE_ROOT, 'dist-web');

const STAMP = join(WEB_ROOT, '.build-stamp');
const LOCK = join(PACKAGE_ROOT, 'dist-web.lock');
/** What the page is built from: a change to any of these makes the built page stale. */
const SOURCES = ['web', 'src/view-model', 'src/api-types.ts', 'package.json'];
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Makes sure the page is built. A published package ships it built; in a checkout of the repository the
 * page is built with vite when it is missing or older than its sources (one build at a time across
 * processes), so that `taskgraph view` and the tests work from a clean clone.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!existsSync(join(PACKAGE_ROOT, 'web', 'index.html'))) {
    if (existsSync(join(WEB_ROOT, 'index.html'))) return;
    throw notBuilt('the package has neither the built page (dist-web) nor its sources (web)');
  }
  const stamp = await sourceStamp();
  if (await isCurrent(stamp)) return;
  await withLock(async () => {
    if (await isCurrent(stamp)) return;
    await runViteBuild();
    await writeFile(STAMP, stamp);
  });
}

async function isCurrent(stamp: string): Promise<boolean> {
  const built = await readFile(STAMP, 'utf8').catch(() => undefined);
  return built === stamp && existsSync(join(WEB_ROOT, 'index.html'));
}

async function sourceStamp(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of await listFiles(join(PACKAGE_ROOT, source))) {
      hash
        .update(relative(PACKAGE_ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name === 'node_modules' || entry.name.endsWith('.test.ts')) continue;
    files.push(...(await listFiles(join(path, entry.name))));
  }
  return files;
}

/** Runs `work` holding a lock directory beside the package, so that concurrent builds wait for one another. */
async function withLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

async function runViteBuild(): Promise<void> {
  let vite: string;
  try {
    const require = createRequire(import.meta.url);
    vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  } catch (error) {
    throw notBuilt('vite, which builds it, is not installed', error);
  }
  const config = join(PACKAGE_ROOT, 'web', 'vite.config.ts');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: PACKAGE_ROOT,
      // A test runner sets NODE_ENV=test, which would give React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const log = Buffer.concat(output).toString('utf8').trim().split('\n').slice(-20).join('\n');
    throw notBuilt(`vite build failed (exit code ${code}):\n${log}`);
  }
}

function notBuilt(problem: string, cause?: unknown): TaskGraphError {
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `startViewer: the viewer's page is not built: ${problem}. Build it with \`npx -y pnpm@10 --filter @taskgraph/viewer build\`.`,
    cause === undefined ? {} : { cause },
  );
}
