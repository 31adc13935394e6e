import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { applyJournal } from '../trace/journal-apply.js';
import { explicitDocument } from '../trace/trace-loader.js';
import { readTrace } from '../trace/trace-read.js';
import { foldJournal, journalPath } from './journal-fold.js';
import { readTraceDocument, readTraceGraph } from './trace-file-io.js';

export interface ReadTraceFileOptions {
  /**
   * false: apply a journal left beside the file in memory and write nothing (safe while a run is still
   * writing it). Default true: fold it into the file and remove it.
   */
  fold?: boolean;
}

/** The JSON document of a trace file, with the journal a run left beside it folded in (not validated yet). */
export async function readTraceFile(
  path: string,
  options: ReadTraceFileOptions = {},
  api = 'loadTrace',
): Promise<unknown> {
  if (options.fold === false) {
    const journal = journalPath(path);
    if (!existsSync(journal)) return readTraceDocument(path, api);
    const document = explicitDocument(await readTraceDocument(path, api));
    applyJournal(document, await readFile(journal, 'utf8'), journal);
    return document;
  }
  await foldJournal(path);
  return readTraceDocument(path, api);
}

/**
 * A trace file validated and rebuilt into a graph made by `makeGraph`, task by task as the file is read
 * (never one string, never a whole document), after folding the journal a run left beside it (or, with
 * `fold: false`, applying it in memory).
 */
export async function loadTraceFile<G extends TaskGraphBase>(
  path: string,
  makeGraph: () => G,
  options: ReadTraceFileOptions & { journal?: boolean } = {},
  api = 'loadTrace',
): Promise<G> {
  if (options.journal !== false) {
    if (options.fold === false && existsSync(journalPath(path))) {
      return readTrace(await readTraceFile(path, options, api), makeGraph());
    }
    await foldJournal(path);
  }
  return (await readTraceGraph(path, api, makeGraph)).graph;
}
