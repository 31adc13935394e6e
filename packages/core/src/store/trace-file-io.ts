import { TaskGraphError } from '../model/errors.js';
import { TaskGraphBase } from '../model/task-graph-base.js';
import { commonRecordLine } from '../trace/common-record-line.js';
import { traceFileChunks, traceTimeOrigin } from '../trace/trace-file-text.js';
import { TraceLoader } from '../trace/trace-loader.js';
import { readTrace } from '../trace/trace-read.js';
import type { TaskRecord, TraceDocument } from '../trace/trace-schema.js';
import { TRACE_VERSION } from '../trace/trace-schema.js';
import { writeTask, writeTraceHead } from '../trace/trace-write.js';
import type { TraceSink } from './trace-file-reader.js';
import { readTraceFileInto } from './trace-file-reader.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * The text of a trace file (version 2, one root task per line) for a graph or a trace document, in pieces
 * to write one after the other: a graph's records are made one by one as they are written, so neither
 * the text nor a document is ever whole in memory. What a TraceStore's `commit` takes. The head is made
 * (and a document in another version read, INVALID_TRACE when it is not valid) before the first piece
 * is asked for.
 */
export function traceText(source: TaskGraphBase | TraceDocument): Iterable<string> {
  if (source instanceof TaskGraphBase) {
    const head = writeTraceHead(source);
    return traceFileChunks(head, taskLines(source, traceTimeOrigin(head)));
  }
  // A document in another version (parsed from a file) is read and written again.
  const head =
    source.version === TRACE_VERSION ? source : (writeTraceHead(readTrace(source), true) as TraceDocument);
  return traceFileChunks(head, head.graph.tasks);
}

/** Writes the text of a trace file (see traceText) to `path` atomically, a piece at a time. A failed write is TRACE_WRITE_FAILED. */
export async function writeTraceText(text: Iterable<string>, path: string, api: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { removeStale: true });
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

/** Each root task's line when it is a common one, its record otherwise. */
function* taskLines(graph: TaskGraphBase, origin: number): Generator<TaskRecord | string> {
  for (const task of graph.tasks()) yield commonRecordLine(task, origin) ?? writeTask(task);
}

/** The document of a trace file as it is (version 1 or 2, not validated), read without one giant string. */
export async function readTraceDocument(path: string, api: string): Promise<unknown> {
  const sink = await readTraceFileInto(path, api, () => new DocumentSink());
  return sink.document;
}

/**
 * A trace file validated and rebuilt into a graph made by `makeGraph`, task by task as it is read (see
 * TraceLoader), with the format version of the file. The journal beside it is not read.
 */
export async function readTraceGraph<G extends TaskGraphBase>(
  path: string,
  api: string,
  makeGraph: () => G,
): Promise<{ graph: G; version: number }> {
  const sink = await readTraceFileInto(path, api, () => new LoaderSink(makeGraph));
  return sink.finish();
}

class DocumentSink implements TraceSink {
  document: unknown;
  head(document: unknown): void {
    this.document = document;
  }
  record(record: unknown): void {
    (this.document as { graph: { tasks: unknown[] } }).graph.tasks.push(record);
  }
}

class LoaderSink<G extends TaskGraphBase> implements TraceSink {
  readonly #makeGraph: () => G;
  #loader: TraceLoader<G> | undefined;
  constructor(makeGraph: () => G) {
    this.#makeGraph = makeGraph;
  }
  head(document: unknown): void {
    this.#loader = new TraceLoader(document, this.#makeGraph());
  }
  record(record: unknown, index: number): void {
    (this.#loader as TraceLoader<G>).add(record, index);
  }
  finish(): { graph: G; version: number } {
    const loader = this.#loader as TraceLoader<G>;
    return { graph: loader.finish(), version: loader.head.version };
  }
}
