import type { ReadTraceFileOptions } from './store/trace-file.js';
import { readTraceFile, writeTraceFile } from './store/trace-file.js';
import { TaskGraph } from './task-graph.js';
import type { TraceDocument } from './trace/trace-schema.js';

export type LoadTraceOptions = ReadTraceFileOptions;

/** Saves a graph's trace to `path` atomically (pretty-printed JSON); a failed write is TRACE_WRITE_FAILED. */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  await writeTraceFile(graph instanceof TaskGraph ? graph.toJSON() : graph, path);
}

/**
 * Reads and validates a trace file, first folding in the journal a run left beside it. A missing file,
 * broken JSON or an invalid trace is a typed error.
 */
export async function loadTrace<I = unknown, O = unknown>(
  path: string,
  options: LoadTraceOptions = {},
): Promise<TaskGraph<I, O>> {
  return TaskGraph.fromJSON<I, O>(await readTraceFile(path, options));
}
