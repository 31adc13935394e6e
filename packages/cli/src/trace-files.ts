import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { FileTraceStore, InvalidTraceError, TaskGraph } from '@taskgraph/core';
import { journalPath } from '@taskgraph/core/internal';
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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw invalidArgument(`${api}: cannot read the trace "${path}" (${(error as Error).message}).`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidTraceError(api, {
      path: '$',
      problem: `"${path}" is not JSON (${(error as Error).message}).`,
      cause: error,
    });
  }
  const graph = TaskGraph.fromJSON(document);
  if (existsSync(journalPath(path))) {
    io.err(
      `Note: ${journalPath(path)} holds results not yet folded into ${path} (a run is going on, or was interrupted; run it again to resume).`,
    );
  }
  return graph;
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
