import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { TaskGraphError } from '../model/errors.js';
import { journalTaskLine } from '../trace/journal-apply.js';
import { explicitDocument } from '../trace/trace-loader.js';
import { JournalFile } from './journal-file.js';
import { journalPath } from './journal-fold.js';
import { readTraceFile } from './trace-file.js';
import { writeTraceText } from './trace-file-io.js';
import type { TraceStore } from './trace-store.js';

/**
 * The trace as a JSON file plus an append-only journal beside it (`<path>.journal`): what
 * `run(registry, { trace: path })` uses. Every commit writes the whole file atomically and removes the
 * journal; loading folds a journal an interrupted run left into the file first.
 */
export class FileTraceStore implements TraceStore {
  readonly path: string;
  #journal: JournalFile | undefined;

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `new FileTraceStore: \`path\` must be a file path (got ${String(path)}).`,
      );
    }
    this.path = path;
  }

  get name(): string {
    return this.path;
  }

  async load(): Promise<unknown> {
    if (!existsSync(this.path) && !existsSync(journalPath(this.path))) return undefined;
    // The explicit form (version 1): what was committed, as the TraceStore contract asks.
    return explicitDocument(await readTraceFile(this.path, {}, 'TaskGraph.run'));
  }

  record(path: readonly string[], line: string, durable: boolean): void {
    this.#open().append(journalTaskLine(path, line), durable);
  }

  drop(path: readonly string[]): void {
    this.#open().append(JSON.stringify({ path, drop: true }), false);
  }

  async flush(): Promise<void> {
    this.#journal?.flush();
  }

  async commit(text: Iterable<string>): Promise<void> {
    this.#journal?.close();
    this.#journal = undefined;
    await writeTraceText(text, this.path, 'TaskGraph.run');
    await rm(journalPath(this.path), { force: true });
  }

  async close(): Promise<void> {
    this.#journal?.close();
    this.#journal = undefined;
  }

  #open(): JournalFile {
    this.#journal ??= new JournalFile(journalPath(this.path));
    return this.#journal;
  }
}
