import type { z } from 'zod';
import { InvalidTraceError, UnsupportedTraceVersionError } from '../model/errors.js';
import type { RunInfo } from '../model/run-info.js';
import { TaskGraphBase } from '../model/task-graph-base.js';
import { expandRecord } from './compact-record.js';
import { GraphAssembler } from './graph-assembler.js';
import { decodable, jsonPath, readTask } from './read-task.js';
import { isCommonFunctionRecord } from './record-shape.js';
import type { TaskFileRecord } from './trace-file-schema.js';
import { TRACE_FILE_VERSION, taskFileRecordSchema, traceHeadSchema } from './trace-file-schema.js';
import { checkRecordLimits, checkTraceLimits } from './trace-limits.js';
import type { TaskRecord, TraceDocument } from './trace-schema.js';
import { TRACE_FORMAT, TRACE_VERSION, taskRecordSchema } from './trace-schema.js';

const API = 'TaskGraph.fromJSON';
const HEAD_SCHEMAS = new Map([1, TRACE_FILE_VERSION].map((version) => [version, traceHeadSchema(version)]));

/** What the loader keeps of a document's head once it is validated. */
export interface TraceHead {
  version: number;
  timeOrigin: number;
  outputTask: string | undefined;
  run: RunInfo | undefined;
}

/**
 * Reads a trace one root task record at a time, as a file is streamed: `new TraceLoader(head)` checks
 * everything but the root records (`head.graph.tasks` is empty or ignored), `add` checks one record at
 * `$.graph.tasks[index]` (the depth limit, then its schema; a record of the common function shape skips
 * zod) and adds it to the graph, `finish` adds the records that came before their dependencies and
 * returns the graph. Version 1 and version 2 documents are read; errors name the JSON path.
 */
export class TraceLoader<G extends TaskGraphBase = TaskGraphBase> {
  readonly head: TraceHead;
  readonly #graph: G;
  readonly #assembler: GraphAssembler;
  readonly #recordSchema: z.ZodType;

  constructor(head: unknown, into?: G) {
    this.head = checkHead(head);
    this.#graph = into ?? (new TaskGraphBase() as G);
    const graph = (head as { graph: { input?: unknown; inputMeta?: unknown } }).graph;
    if (graph.input !== undefined || graph.inputMeta !== undefined) {
      this.#graph.inputSlot = decodable(graph.input, graph.inputMeta, '$.graph.inputMeta');
    }
    this.#assembler = new GraphAssembler(this.#graph, '$.graph', readTask);
    this.#recordSchema = this.head.version >= TRACE_FILE_VERSION ? taskFileRecordSchema : taskRecordSchema;
  }

  add(record: unknown, index: number): void {
    this.#assembler.add(this.check(record, index), index);
  }

  /** The record at `$.graph.tasks[index]` validated, in its version 1 form. */
  check(record: unknown, index: number): TaskRecord {
    const { version } = this.head;
    let valid = record;
    if (!isCommonFunctionRecord(record, version)) {
      const at = `$.graph.tasks[${index}]`;
      checkRecordLimits(record, at, API);
      const parsed = this.#recordSchema.safeParse(record);
      if (!parsed.success) {
        const issue = parsed.error.issues[0] as z.core.$ZodIssue;
        throw new InvalidTraceError(API, {
          path: `${at}${jsonPath(issue.path).slice(1)}`,
          problem: `${issue.message}${taskNote(record, issue.path)}.`,
        });
      }
      valid = parsed.data;
    } else {
      // Common records hold no nested values but `output` and `args`, which only the limit check reads.
      const r = record as { output?: unknown; args?: unknown };
      if (isContainer(r.output) || isContainer(r.args))
        checkRecordLimits(record, `$.graph.tasks[${index}]`, API);
    }
    return version >= TRACE_FILE_VERSION
      ? expandRecord(valid as TaskFileRecord, this.head.timeOrigin)
      : (valid as TaskRecord);
  }

  finish(): G {
    this.#assembler.finish(this.head.outputTask);
    if (this.head.run) this.#graph.runInfo = this.head.run;
    return this.#graph;
  }
}

/** A document with its root records left out, for the loader's head. */
export function documentHead(document: unknown): unknown {
  const graph = isObject(document) ? (document as { graph?: unknown }).graph : undefined;
  if (!isObject(graph) || !Array.isArray((graph as { tasks?: unknown }).tasks)) return document;
  return { ...(document as object), graph: { ...(graph as object), tasks: [] } };
}

function checkHead(document: unknown): TraceHead {
  if (!isObject(document)) {
    throw new InvalidTraceError(API, { path: '$', problem: 'expected a trace document (a JSON object).' });
  }
  const { format, version } = document as { format?: unknown; version?: unknown };
  if (format !== TRACE_FORMAT) {
    throw new InvalidTraceError(API, {
      path: '$.format',
      problem: `expected "${TRACE_FORMAT}", got ${JSON.stringify(format) ?? 'nothing'}.`,
    });
  }
  const schema = HEAD_SCHEMAS.get(version as number);
  if (schema === undefined) {
    if (typeof version === 'number' && version > TRACE_FILE_VERSION)
      throw new UnsupportedTraceVersionError(API, { version, supported: TRACE_FILE_VERSION });
    throw new InvalidTraceError(API, {
      path: '$.version',
      problem: `expected 1 or ${TRACE_FILE_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}.`,
    });
  }
  checkTraceLimits(document, API);
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new InvalidTraceError(API, { path: jsonPath(issue.path), problem: `${issue.message}.` });
  }
  const head = parsed.data;
  return {
    version: version as number,
    timeOrigin: head.timeOrigin ?? 0,
    outputTask: head.graph.outputTask,
    run: head.run as RunInfo | undefined,
  };
}

/** " (task "x")" naming the record, or the nested record the path goes through. */
function taskNote(record: unknown, path: readonly PropertyKey[]): string {
  let id = isObject(record) ? (record as { id?: unknown }).id : undefined;
  let node: unknown = record;
  for (let i = 0; i < path.length; i++) {
    if (!isObject(node) && !Array.isArray(node)) break;
    node = (node as Record<PropertyKey, unknown>)[path[i] as string];
    const nestedId = isObject(node) ? (node as { id?: unknown }).id : undefined;
    if (path[i - 1] === 'tasks' && typeof path[i] === 'number' && typeof nestedId === 'string') id = nestedId;
  }
  return typeof id === 'string' ? ` (task "${id}")` : '';
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The version 1 form of a trace document (every field explicit, times in epoch ms), what journal lines
 * apply to: a version 2 document's head and records are validated and expanded; any other document is
 * returned as it is, to be validated as a whole later.
 */
export function explicitDocument(document: unknown): TraceDocument {
  if ((document as { version?: unknown } | null)?.version !== TRACE_FILE_VERSION)
    return document as TraceDocument;
  const loader = new TraceLoader(documentHead(document));
  const { timeOrigin: _origin, ...fields } = document as TraceDocument & { timeOrigin?: number };
  const tasks = fields.graph.tasks.map((record, i) => loader.check(record, i));
  return { ...fields, version: TRACE_VERSION, graph: { ...fields.graph, tasks } };
}
