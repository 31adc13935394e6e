import { TaskGraphError } from '../model/errors.js';
import type { TraceStore } from '../store/trace-store.js';
import { applyJournalLines, journalTaskLine } from '../trace/journal-apply.js';
import { explicitDocument } from '../trace/trace-loader.js';

/**
 * A TraceStore in memory, for tests: it keeps the committed trace file's text and the recorded lines
 * after it. `crash()` forgets the lines not yet flushed, as a killed process would; the same store then
 * loads what a restarted program would find.
 */
export class MemoryTraceStore implements TraceStore {
  readonly name: string;
  #document: string | undefined;
  #durable: string[] = [];
  #buffered: string[] = [];
  #failWrites = false;
  /** How many commits were made (a test can check a run committed at start and at the end). */
  commits = 0;

  constructor(name = 'memory') {
    this.name = name;
  }

  async load(): Promise<unknown> {
    if (this.#document === undefined) return undefined;
    const document = explicitDocument(JSON.parse(this.#document));
    applyJournalLines(document, this.#durable, this.name);
    return document;
  }

  record(path: readonly string[], line: string, durable: boolean): void {
    this.#write(journalTaskLine(path, line), durable);
  }

  drop(path: readonly string[]): void {
    this.#write(JSON.stringify({ path, drop: true }), false);
  }

  async flush(): Promise<void> {
    for (const line of this.#buffered) this.#durable.push(line);
    this.#buffered = [];
  }

  async commit(text: Iterable<string>): Promise<void> {
    if (this.#failWrites) throw this.#failure();
    let document = '';
    for (const piece of text) document += piece;
    this.#document = document;
    this.#durable = [];
    this.#buffered = [];
    this.commits++;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  /** Forgets what was recorded and not flushed, as a crash of the process would. */
  crash(): void {
    this.#buffered = [];
  }

  /** From now on every write fails with TRACE_WRITE_FAILED (a full disk). */
  failWrites(): void {
    this.#failWrites = true;
  }

  #write(line: string, durable: boolean): void {
    if (this.#failWrites) throw this.#failure();
    if (durable) {
      for (const buffered of this.#buffered) this.#durable.push(buffered);
      this.#durable.push(line);
      this.#buffered = [];
    } else this.#buffered.push(line);
  }

  #failure(): TaskGraphError {
    return new TaskGraphError('TRACE_WRITE_FAILED', `MemoryTraceStore: "${this.name}" refuses writes.`);
  }
}
