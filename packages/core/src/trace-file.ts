import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from './errors.js';
import { formatJson } from './format-json.js';
import { applyJournal, foldJournal, journalPath } from './journal-fold.js';
import type { TaskGraph } from './task-graph.js';
import { writeFileAtomic } from './trace-file-write.js';
import { readTrace } from './trace-read.js';
import type { TraceDocument } from './trace-schema.js';

/** Saves a graph's trace to `path` atomically (pretty-printed JSON); a failed write is TRACE_WRITE_FAILED. */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  const document = 'toJSON' in graph ? graph.toJSON() : graph;
  try {
    await writeFileAtomic(path, formatJson(document));
  } catch (error) {
    throw new TaskGraphError(
      'TRACE_WRITE_FAILED',
      `saveTrace: cannot write "${path}" (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Reads and validates a trace file, first folding in the journal a run left beside it. A missing file,
 * broken JSON or an invalid trace is a typed error.
 */
export async function loadTrace<I = unknown, O = unknown>(
  path: string,
  options: LoadTraceOptions = {},
): Promise<TaskGraph<I, O>> {
  if (options.fold === false) {
    const document = (await readTraceJson(path, 'loadTrace')) as { graph: never };
    if (existsSync(journalPath(path)))
      applyJournal(document, await readFile(journalPath(path), 'utf8'), journalPath(path));
    return readTrace(document) as TaskGraph<I, O>;
  }
  await foldJournal(path);
  return readTrace(await readTraceJson(path, 'loadTrace')) as TaskGraph<I, O>;
}

export interface LoadTraceOptions {
  /**
   * false: apply a journal left beside the file in memory and write nothing (safe while a run is still
   * writing it). Default true: fold it into the file and remove it.
   */
  fold?: boolean;
}

/** The parsed JSON of a trace file; a missing file or broken JSON is a typed error naming the file. */
export async function readTraceJson(path: string, api: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: cannot read "${path}" (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidTraceError(api, '$', `"${path}" is not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
}
