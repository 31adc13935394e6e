import { readFile } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from './errors.js';
import { foldJournal } from './journal-fold.js';
import type { TaskGraph } from './task-graph.js';
import { writeFileAtomic } from './trace-file-write.js';
import { readTrace } from './trace-read.js';
import type { TraceDocument } from './trace-schema.js';

/** Saves a graph's trace to `path` atomically (pretty-printed JSON); a failed write is TRACE_WRITE_FAILED. */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  const document = 'toJSON' in graph ? graph.toJSON() : graph;
  try {
    await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
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
export async function loadTrace<I = unknown, O = unknown>(path: string): Promise<TaskGraph<I, O>> {
  await foldJournal(path);
  return readTrace(await readTraceJson(path, 'loadTrace')) as TaskGraph<I, O>;
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
