import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { FileTraceStore, TaskGraph } from '@taskgraph/core';
import { journalPath, readTraceGraph } from '@taskgraph/core/internal';
import type { CliIO } from './cli-io.js';
import { invalidArgument } from './invalid-argument.js';

/** Removes a trace and the journal beside it, so that a run starts from nothing. */
export async function removeTrace(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(journalPath(path), { force: true });
}

/**
 * Reads and validates a trace without changing any file, for the commands that only read (show, diff,
 * validate). Unlike core's loadTrace, it leaves a journal beside the trace alone, since the run writing
 * it may still be going on, and says on stderr that the file may lag behind it.
 */
export async function readTraceFile(path: string, api: string, io: CliIO): Promise<TaskGraph> {
  return (await readTraceFileVersion(path, api, io)).graph;
}

/** readTraceFile, with the format version the file is written in. The file is streamed, never one string. */
export async function readTraceFileVersion(
  path: string,
  api: string,
  io: CliIO,
): Promise<{ graph: TaskGraph; version: number }> {
  const read = await readTraceGraph(path, api, () => new TaskGraph());
  if (existsSync(journalPath(path))) {
    io.err(
      `Note: ${journalPath(path)} holds results not yet folded into ${path} (a run is going on, or was interrupted; run it again to resume).`,
    );
  }
  return read;
}

/**
 * A trace to change (edit, answer, replay), through its TraceStore: a journal an interrupted run left
 * beside it is folded in first. A missing file is INVALID_ARGUMENT naming it.
 */
export async function openTrace(
  path: string,
  api: string,
): Promise<{ graph: TaskGraph; store: FileTraceStore }> {
  const store = new FileTraceStore(path);
  const document = await store.load();
  if (document === undefined) throw invalidArgument(`${api}: there is no trace at "${path}".`);
  return { graph: TaskGraph.fromJSON(document), store };
}
