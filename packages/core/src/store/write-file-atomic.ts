import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { removeStaleTempFiles, tempFileName } from './stale-temp-files.js';

/**
 * Writes `text` (one string, or pieces written one after the other so that no file has to be one
 * string) to `path` atomically: a temporary file beside it is written, flushed to disk and renamed
 * over `path`, so a reader (or a crash) sees the old file or the new one, never half of one. With
 * `removeStale`, temporary files of `path` that a killed process left behind are removed first (see
 * removeStaleTempFiles): a trace file's writes do it; a folder of many small files sweeps once instead.
 */
export async function writeFileAtomic(
  path: string,
  text: string | Iterable<string>,
  options: { removeStale?: boolean } = {},
): Promise<void> {
  if (options.removeStale) await removeStaleTempFiles(path);
  const temporary = tempFileName(path, process.pid, randomBytes(4).toString('hex'));
  try {
    const handle = await open(temporary, 'w');
    try {
      if (typeof text === 'string') await handle.writeFile(text);
      // On a handle, writeFile writes all of the piece from where the last one ended.
      else for (const piece of text) await handle.writeFile(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
