import { constants, createReadStream, createWriteStream, existsSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { x as extractTar } from 'tar';

/** A Chromium the browser tests can launch, and where it came from. */
export interface Chromium {
  executablePath: string;
  /** Variables the browser needs on top of the test's environment (libraries, fonts). */
  env: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'system' | 'bundled';
}

/** Names a system Chromium goes by, looked up on PATH. */
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
/** How long a half-done extraction by another test file is waited for before it is taken over. */
const STALE_LOCK_MS = 120_000;

/**
 * The Chromium of the browser tests: `CHROMIUM_PATH` when set, else a system Chromium on PATH, else the
 * headless Chromium shipped inside the `@sparticuz/chromium` npm package, unpacked once (with the NSS
 * libraries and fonts it needs) into node_modules/.cache. Nothing is downloaded: the package brings it.
 */
export async function findChromium(): Promise<Chromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv)))
      throw new Error(
        `CHROMIUM_PATH is set to "${fromEnv}", which is not an executable file: fix or unset it.`,
      );
    return { executablePath: fromEnv, env: {}, source: 'CHROMIUM_PATH' };
  }
  const system = await onPath(SYSTEM_NAMES);
  if (system) return { executablePath: system, env: {}, source: 'system' };
  return bundledChromium();
}

/** The Chromium of `@sparticuz/chromium`, unpacked on first use. */
export async function bundledChromium(): Promise<Chromium> {
  const bin = join(
    dirname(dirname(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))))),
    'bin',
  );
  const { version } = JSON.parse(await readFile(join(bin, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const cache = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.cache');
  const dir = join(cache, `chromium-${version}`);
  if (!existsSync(dir)) await unpackOnce(bin, dir);
  return {
    executablePath: join(dir, 'chromium'),
    env: {
      // Chromium's NSS and expat, built for the binary, before the system's (a machine may have none).
      LD_LIBRARY_PATH: [join(dir, 'lib'), dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
    source: 'bundled',
  };
}

/** Unpacks into `dir` under a lock, so that test files starting at once unpack it once; `dir` appears whole. */
async function unpackOnce(bin: string, dir: string): Promise<void> {
  const lock = `${dir}.lock`;
  await mkdir(dirname(dir), { recursive: true });
  for (;;) {
    if (existsSync(dir)) return;
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (found) => Date.now() - found.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    if (existsSync(dir)) return;
    const temp = `${dir}.partial-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(temp, 'chromium'), { mode: 0o755 }),
    );
    for (const archive of ['al2023.tar.br', 'fonts.tar.br', 'swiftshader.tar.br'])
      await pipeline(
        createReadStream(join(bin, archive)),
        createBrotliDecompress(),
        extractTar({ cwd: temp }),
      );
    await writeFile(
      join(temp, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, 'fonts')}</dir><cachedir>${join(dir, 'fonts-cache')}</cachedir></fontconfig>\n`,
    );
    await rename(temp, dir);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function onPath(names: readonly string[]): Promise<string | undefined> {
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of names) {
      const candidate = join(folder, name);
      if (await isExecutable(candidate)) return candidate;
    }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
