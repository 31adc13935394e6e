import type { ReadTraceFileOptions } from './store/trace-file.js';
import { loadTraceFile } from './store/trace-file.js';
import { traceText, writeTraceText } from './store/trace-file-io.js';
import { TaskGraph } from './task-graph.js';
import type { TraceDocument } from './trace/trace-schema.js';

export type LoadTraceOptions = ReadTraceFileOptions;

/**
 * Saves a graph's trace to `path` atomically, in the file layout (format version 2: the head pretty,
 * one task per line), streamed a piece at a time so that a trace of any size can be saved; a failed
 * write is TRACE_WRITE_FAILED.
 */
export async function saveTrace(graph: TaskGraph | TraceDocument, path: string): Promise<void> {
  await writeTraceText(traceText(graph), path, 'saveTrace');
}

/**
 * Reads and validates a trace file (format version 1 or 2), first folding in the journal a run left
 * beside it. The file is streamed: tasks are validated and added as their lines are read. A missing
 * file, broken JSON or an invalid trace is a typed error.
 */
export async function loadTrace<I = unknown, O = unknown>(
  path: string,
  options: LoadTraceOptions = {},
): Promise<TaskGraph<I, O>> {
  const graph = await loadTraceFile(path, () => new TaskGraph() as unknown as TaskGraph, options);
  return graph as unknown as TaskGraph<I, O>;
}
