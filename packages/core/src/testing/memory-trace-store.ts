import { TaskGraphError } from '../model/errors.js';
import type { TraceStore } from '../store/trace-store.js';
import { applyJournalLines } from '../trace/journal-apply.js';
import type { TraceDocument } from '../trace/trace-schema.js';

/**
 * A TraceStore in memory, for tests: it keeps the committed document as JSON text and the recorded lines
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
    const document = JSON.parse(this.#document) as Parameters<typeof applyJournalLines>[0];
    applyJournalLines(document, this.#durable, this.name);
    return document;
  }

  record(path: readonly string[], record: Record<string, unknown>, durable: boolean): void {
    this.#write(JSON.stringify({ path, record }), durable);
  }

  drop(path: readonly string[]): void {
    this.#write(JSON.stringify({ path, drop: true }), false);
  }

  async flush(): Promise<void> {
    for (const line of this.#buffered) this.#durable.push(line);
    this.#buffered = [];
  }

  async commit(document: TraceDocument): Promise<void> {
    if (this.#failWrites) throw this.#failure();
    this.#document = JSON.stringify(document);
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
