import type { JournalLine } from '../trace/journal-apply.js';
import type { TraceDocument } from '../trace/trace-schema.js';

/**
 * Where a run keeps its trace while it goes on, so that a crash loses at most the tasks in flight and
 * running again resumes. `run(registry, { trace })` takes a path (a `FileTraceStore`: the JSON file plus
 * an append-only journal beside it) or any TraceStore. Every store passes `traceStoreConformance` from
 * `@taskgraph/core/testing`.
 *
 * A run calls `load` once, then `commit` with the trace it starts from, then `record` and `drop` as tasks
 * settle, then `commit` with the final trace, then `close`.
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
   * Records the latest state of one task (its trace record, at its path from the root graph). A `durable`
   * line (an LLM response) survives a crash of the process as soon as `record` returns; others may wait
   * for the next `flush`. Throws TRACE_WRITE_FAILED when the store cannot keep it (then the run stops).
   */
  record(path: readonly string[], record: Record<string, unknown>, durable: boolean): void;
  /** Records that the task at `path` was removed (its creator did not create it again). */
  drop(path: readonly string[]): void;
  /** Makes every line recorded so far durable. */
  flush(): Promise<void>;
  /** Replaces what the store holds with `document`, atomically: a crash leaves the old one or the new one. */
  commit(document: TraceDocument): Promise<void>;
  /** Flushes and releases what the store holds open. The store can be loaded again afterwards. */
  close(): Promise<void>;
}

export type { JournalLine };
