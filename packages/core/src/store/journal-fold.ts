import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from '../model/errors.js';
import { formatJson } from '../trace/format-json.js';
import { applyJournal } from '../trace/journal-apply.js';
import { readTrace } from '../trace/trace-read.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** The journal file of a trace file. */
export function journalPath(tracePath: string): string {
  return `${tracePath}.journal`;
}

/**
 * Folds `<trace>.journal` into `<trace>` (validated, written atomically) and removes the journal.
 * A last line cut short by a crash is ignored. Returns whether there was a journal.
 */
export async function foldJournal(tracePath: string): Promise<boolean> {
  const journal = journalPath(tracePath);
  if (!existsSync(journal)) return false;
  const text = await readFile(journal, 'utf8');
  if (!existsSync(tracePath)) {
    throw new InvalidTraceError('foldJournal', {
      path: '$',
      problem: `"${journal}" has no trace file "${tracePath}" to fold into.`,
    });
  }
  let document: Parameters<typeof applyJournal>[0];
  try {
    document = JSON.parse(await readFile(tracePath, 'utf8'));
  } catch (error) {
    throw new InvalidTraceError('foldJournal', {
      path: '$',
      problem: `"${tracePath}" is not valid JSON (${(error as Error).message}); its journal "${journal}" was left as it is.`,
      cause: error,
    });
  }
  applyJournal(document, text, journal);
  readTrace(document);
  try {
    await writeFileAtomic(tracePath, formatJson(document), { removeStale: true });
  } catch (error) {
    throw new TaskGraphError(
      'TRACE_WRITE_FAILED',
      `foldJournal: cannot write "${tracePath}" (${(error as Error).message}).`,
      { cause: error },
    );
  }
  await rm(journal, { force: true });
  return true;
}
