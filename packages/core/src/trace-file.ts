import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from './errors.js';
import type { TaskGraph } from './task-graph.js';
import { readTrace } from './trace-read.js';
import type { TraceDocument } from './trace-schema.js';

/**
 * Writes `text` to `path` atomically: a temporary file beside it is written, flushed to disk and renamed
 * over `path`, so a reader (or a crash) sees the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
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

/** Saves a graph's trace to `path` atomically (pretty-printed JSON). */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  const document = 'toJSON' in graph ? graph.toJSON() : graph;
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
}

/** Reads and validates a trace file; a missing file, broken JSON or an invalid trace is a typed error. */
export async function loadTrace<I = unknown, O = unknown>(path: string): Promise<TaskGraph<I, O>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `loadTrace: cannot read "${path}" (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidTraceError(
      'loadTrace',
      '$',
      `"${path}" is not valid JSON (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  return readTrace(document) as TaskGraph<I, O>;
}
