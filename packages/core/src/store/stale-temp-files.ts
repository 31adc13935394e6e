import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** How long a temporary file must have gone unwritten before it counts as left behind. */
export const STALE_TEMP_MS = 60_000;

/** The temporary file name writeFileAtomic uses for `path`: `<name>.<pid>.<8 hex>.tmp` beside it. */
export function tempFileName(path: string, pid: number, suffix: string): string {
  return `${path}.${pid}.${suffix}.tmp`;
}

const TEMP_SUFFIX = /\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files that writes of `path` left behind when their process was killed mid-write:
 * only names writeFileAtomic makes for this very file, only of processes no longer running here, and
 * only when unwritten for STALE_TEMP_MS (a writer on another machine sharing the folder keeps writing
 * to its file). Returns the names removed. Best effort: a file it cannot read or remove is left.
 */
export function removeStaleTempFiles(path: string, now = Date.now()): Promise<string[]> {
  const name = basename(path);
  // Exactly `<name>.<pid>.<8 hex>.tmp`: the suffix starts right after the name.
  const ours = (file: string) => file.startsWith(name) && TEMP_SUFFIX.exec(file)?.index === name.length;
  return sweep(dirname(path), ours, now);
}

/** removeStaleTempFiles for every file of a folder that only writeFileAtomic writes to (a response cache). */
export function removeStaleTempFilesIn(folder: string, now = Date.now()): Promise<string[]> {
  return sweep(folder, (file) => TEMP_SUFFIX.test(file), now);
}

async function sweep(folder: string, ours: (name: string) => boolean, now: number): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = ours(name) ? TEMP_SUFFIX.exec(name) : null;
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || running(pid)) continue;
    const file = join(folder, name);
    try {
      if (now - (await stat(file)).mtimeMs < STALE_TEMP_MS) continue;
      await rm(file, { force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
