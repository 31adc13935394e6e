import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { InvalidTraceError } from '../model/errors.js';
import { applyJournal } from '../trace/journal-apply.js';
import { explicitDocument } from '../trace/trace-loader.js';
import { readTrace } from '../trace/trace-read.js';
import { readTraceDocument, traceText, writeTraceText } from './trace-file-io.js';

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
  const document = explicitDocument(await readTraceDocument(tracePath, 'foldJournal'));
  applyJournal(document, text, journal);
  readTrace(document);
  await writeTraceText(traceText(document), tracePath, 'foldJournal');
  await rm(journal, { force: true });
  return true;
}
