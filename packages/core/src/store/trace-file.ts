import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from '../model/errors.js';
import { formatJson } from '../trace/format-json.js';
import { applyJournal } from '../trace/journal-apply.js';
import type { TraceDocument } from '../trace/trace-schema.js';
import { foldJournal, journalPath } from './journal-fold.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Writes a trace document to `path` atomically (pretty-printed JSON); a failed write is TRACE_WRITE_FAILED. */
export async function writeTraceFile(
  document: TraceDocument,
  path: string,
  api = 'saveTrace',
): Promise<void> {
  try {
    await writeFileAtomic(path, formatJson(document), { removeStale: true });
  } catch (error) {
    throw new TaskGraphError(
      'TRACE_WRITE_FAILED',
      `${api}: cannot write "${path}" (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
}

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
    const document = (await readTraceJson(path, api)) as Parameters<typeof applyJournal>[0];
    const journal = journalPath(path);
    if (existsSync(journal)) applyJournal(document, await readFile(journal, 'utf8'), journal);
    return document;
  }
  await foldJournal(path);
  return readTraceJson(path, api);
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
    throw new InvalidTraceError(api, {
      path: '$',
      problem: `"${path}" is not valid JSON (${(error as Error).message}).`,
      cause: error,
    });
  }
}
