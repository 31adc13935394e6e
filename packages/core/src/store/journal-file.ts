import { closeSync, openSync, writeSync } from 'node:fs';
import { TaskGraphError } from '../model/errors.js';

/** Characters of lines held before they are written even though the turn goes on (a long synchronous run). */
const BUFFER_CHARS = 1 << 16;

/**
 * The append-only journal beside a trace file (`<trace>.journal`): one JSON line per change, appended as
 * it happens. Lines are buffered until the current turn of the event loop ends, or until they reach
 * BUFFER_CHARS; a durable line is written at once, so a crash never costs an LLM call whose answer came.
 * A failed write is kept and thrown by the next `append` or `flush`.
 */
export class JournalFile {
  readonly path: string;
  #fd: number | undefined;
  #buffer: string[] = [];
  #chars = 0;
  #scheduled = false;
  #failure: TaskGraphError | undefined;

  constructor(path: string) {
    this.path = path;
  }

  append(line: string, durable: boolean): void {
    if (this.#failure) throw this.#failure;
    this.#buffer.push(line);
    this.#chars += line.length;
    if (durable || this.#chars >= BUFFER_CHARS) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        try {
          this.flush();
        } catch {
          // Kept in #failure: the next append or flush throws it.
        }
      });
    }
  }

  /** Writes the buffered lines to the file (to the operating system: they survive the process). */
  flush(): void {
    this.#scheduled = false;
    if (this.#failure) throw this.#failure;
    if (this.#buffer.length === 0) return;
    const text = `${this.#buffer.join('\n')}\n`;
    this.#buffer = [];
    this.#chars = 0;
    try {
      this.#fd ??= openSync(this.path, 'a');
      writeSync(this.#fd, text);
    } catch (error) {
      this.#failure = new TaskGraphError(
        'TRACE_WRITE_FAILED',
        `TaskGraph.run: cannot write the journal "${this.path}" (${(error as Error).message}).`,
        { cause: error },
      );
      throw this.#failure;
    }
  }

  close(): void {
    try {
      this.flush();
    } finally {
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}
