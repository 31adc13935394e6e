import { readFile } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from './errors.js';
import { foldJournal } from './journal-fold.js';
import type { TaskGraph } from './task-graph.js';
import { writeFileAtomic } from './trace-file-write.js';
import { readTrace } from './trace-read.js';
import type { TraceDocument } from './trace-schema.js';

/** Saves a graph's trace to `path` atomically (pretty-printed JSON). */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  const document = 'toJSON' in graph ? graph.toJSON() : graph;
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
}

/**
 * Reads and validates a trace file, first folding in the journal a run left beside it. A missing file,
 * broken JSON or an invalid trace is a typed error.
 */
export async function loadTrace<I = unknown, O = unknown>(path: string): Promise<TaskGraph<I, O>> {
  await foldJournal(path);
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
