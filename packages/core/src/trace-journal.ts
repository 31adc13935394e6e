import { closeSync, openSync, writeSync } from 'node:fs';
import { TaskGraphError } from './errors.js';
import { sealTask } from './memo.js';
import type { AnyTask } from './task.js';
import type { TaskGraph } from './task-graph.js';
import { writeTask } from './trace-write.js';

/** One line of a journal: a task's record (its latest state) or the removal of a task. */
export type JournalLine =
  | { path: string[]; record: Record<string, unknown> }
  | { path: string[]; drop: true };

/**
 * The append-only journal beside a trace file (`<trace>.journal`): one JSON line per task whose state
 * changed, written as it happens. Lines of synchronous tasks are buffered until the current turn of the
 * event loop ends; an LLM response is written at once, so a crash never costs a call whose answer came.
 */
export class TraceJournal {
  readonly path: string;
  #fd: number | undefined;
  #buffer: string[] = [];
  #scheduled = false;

  /** Called once if a write fails (a full disk…): the run stops with that error. */
  readonly #onError: (error: TaskGraphError) => void;
  #failed = false;

  constructor(path: string, onError: (error: TaskGraphError) => void) {
    this.path = path;
    this.#onError = onError;
    this.#fd = openSync(path, 'a');
  }

  /** Records the current state of `task` (at `taskPath`, in `graph`). */
  record(graph: TaskGraph, task: AnyTask, taskPath: readonly string[], now = false, nested = false): void {
    this.#guard(() => {
      sealTask(graph, task);
      this.#push(JSON.stringify({ path: taskPath, record: writeTask(task, nested) }), now);
    });
  }

  /** Records that the task at `taskPath` was removed. */
  drop(taskPath: readonly string[]): void {
    this.#guard(() => this.#push(JSON.stringify({ path: taskPath, drop: true }), false));
  }

  #guard(write: () => void): void {
    if (this.#failed) return;
    try {
      write();
    } catch (error) {
      this.#failed = true;
      this.#onError(
        new TaskGraphError(
          'TRACE_WRITE_FAILED',
          `TaskGraph.run: cannot write the journal "${this.path}" (${(error as Error).message}).`,
          {
            cause: error,
          },
        ),
      );
    }
  }

  #push(line: string, now: boolean): void {
    this.#buffer.push(line);
    if (now) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#guard(() => this.flush()));
    }
  }

  /** Writes the buffered lines to the file (to the operating system: they survive the process). */
  flush(): void {
    this.#scheduled = false;
    if (this.#buffer.length === 0 || this.#fd === undefined) return;
    const text = `${this.#buffer.join('\n')}\n`;
    this.#buffer = [];
    writeSync(this.#fd, text);
  }

  close(): void {
    this.flush();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
