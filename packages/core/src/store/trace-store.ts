import type { JournalLine } from '../trace/journal-apply.js';

/**
 * Where a run keeps its trace while it goes on, so that a crash loses at most the tasks in flight and
 * running again resumes. `run(registry, { trace })` takes a path (a `FileTraceStore`: the JSON file plus
 * an append-only journal beside it) or any TraceStore. Every store passes `traceStoreConformance` from
 * `@taskgraph/core/testing`.
 *
 * A run calls `load` once, then `commit` with the trace it starts from, then `record` and `drop` as tasks
 * settle, then `commit` with the final trace, then `close`. What it hands over is text a store keeps as
 * it is: a trace file's text (`traceText`), and each task's state as the line a trace file holds for it.
 */
export interface TraceStore {
  /** What the store is, for messages (a file path, a key). */
  readonly name: string;
  /**
   * The trace the store holds: the last committed document with every line recorded since applied, as a
   * JSON document (the run validates it). Undefined when it holds none. Lines of an interrupted run are
   * part of what it returns.
   */
  load(): Promise<unknown>;
  /**
   * Records the latest state of one task, at its path from the root graph: `line` is the JSON text a
   * trace file holds for the task (its compact record, without a nested graph's tasks, which have their
   * own lines; times in ms after the last committed trace's `run.startedAt`). A `durable` line (an LLM
   * response) survives a crash of the process as soon as `record` returns; others may wait for the next
   * `flush`. Throws TRACE_WRITE_FAILED when the store cannot keep it (then the run stops).
   */
  record(path: readonly string[], line: string, durable: boolean): void;
  /** Records that the task at `path` was removed (its creator did not create it again). */
  drop(path: readonly string[]): void;
  /** Makes every line recorded so far durable. */
  flush(): Promise<void>;
  /**
   * Replaces what the store holds with the trace file whose text is `text` (in pieces, see traceText),
   * atomically: a crash leaves the old trace or the new one.
   */
  commit(text: Iterable<string>): Promise<void>;
  /** Flushes and releases what the store holds open. The store can be loaded again afterwards. */
  close(): Promise<void>;
}

export type { JournalLine };
