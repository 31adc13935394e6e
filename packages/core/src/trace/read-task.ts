import type { ZodType, z } from 'zod';
import { ValueSlot } from '../memo/value-slot.js';
import type { ErrorData } from '../model/error-data.js';
import { InvalidTraceError } from '../model/errors.js';
import type { JsonValue, ValueMeta } from '../model/json-value.js';
import type { Stage, Task, TaskDefinition } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { RecordReader } from '../model/task-kind.js';
import { kindDescriptor } from '../model/task-kinds.js';
import { GraphAssembler } from './graph-assembler.js';
import { zodFromStoredSchema } from './stored-schema.js';
import type { GraphDocument, TaskRecord } from './trace-schema.js';
import { taskRecordSchema } from './trace-schema.js';

const API = 'TaskGraph.fromJSON';

/** Rebuilds a validated graph document (a nested graph's) into `graph`. */
export function readGraph<G extends TaskGraphBase>(document: GraphDocument, path: string, graph: G): G {
  if (document.input !== undefined || document.inputMeta !== undefined) {
    graph.inputSlot = decodable(document.input, document.inputMeta, `${path}.inputMeta`);
  }
  const assembler = new GraphAssembler(graph, path, readTask);
  document.tasks.forEach((record, i) => {
    assembler.add(record, i);
  });
  assembler.finish(document.outputTask);
  return graph;
}

/**
 * Rebuilds one task from its trace record, validated first: how an executor across processes brings
 * back the tasks a call created (`writeTask` made the record). `graph` makes the nested graph of a
 * graph task (its `createEmpty`); `at` names the record in errors.
 */
export function readTaskRecord(record: unknown, graph: TaskGraphBase, at = '$'): Task {
  const parsed = taskRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new InvalidTraceError(API, {
      path: `${at}${jsonPath(issue.path).slice(1)}`,
      problem: `${issue.message}.`,
    });
  }
  return readTask(parsed.data, at, graph);
}

export function readTask(record: TaskRecord, at: string, graph: TaskGraphBase): Task {
  for (const [stage, meta] of Object.entries(record.meta ?? {})) {
    decodable((record as Record<string, unknown>)[stage], meta, `${at}.meta.${stage}`);
  }
  const def: TaskDefinition = {
    id: record.id,
    deps: record.deps ?? [],
    namedDeps: record.namedDeps ?? {},
    createdBy: record.createdBy,
    args: record.args as JsonValue | undefined,
    schema: record.schema === undefined ? undefined : zodFromJson(record.schema, `${at}.schema`),
    schemaJson: record.schema as JsonValue | undefined,
  };
  const reader = new Reader(at, graph);
  const descriptor = kindDescriptor(record.kind, `${API}: ${at}`);
  const task = descriptor.fromRecord(record as Record<string, unknown>, def, reader);
  task.status = record.status === 'running' ? 'pending' : record.status;
  const nested = descriptor.nested?.graph(task);
  if (nested) task.output = nested.outputTask?.output;
  else if (record.output !== undefined || record.meta?.output)
    task.output = slot(record.output, record.meta?.output);
  task.readsInput = record.readsInput ?? false;
  if (record.versions) task.versions = { ...record.versions } as Partial<Record<Stage, string>>;
  if (record.fingerprints) task.fingerprints = { ...record.fingerprints } as Partial<Record<Stage, string>>;
  task.attempts = record.attempts ?? 0;
  task.startedAt = record.startedAt;
  task.durationMs = record.durationMs;
  task.error = record.error as ErrorData | undefined;
  if (task.schema && task.output) {
    const checked = task.schema.safeParse(task.output.value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const sub = issue?.path.length ? jsonPath(issue.path) : '';
      throw new InvalidTraceError(API, {
        path: `${at}.output${sub.slice(1)}`,
        problem: `the output of task "${record.id}" fails its schema: ${issue?.message ?? 'invalid'}.`,
        taskPath: [record.id],
      });
    }
  }
  return task;
}

/** What a kind's fromRecord reads values, schemas and nested graphs with (a class: no closures per record). */
class Reader implements RecordReader {
  readonly at: string;
  readonly #parent: TaskGraphBase;
  constructor(at: string, parent: TaskGraphBase) {
    this.at = at;
    this.#parent = parent;
  }
  value(json: unknown, meta: unknown): ValueSlot {
    return slot(json, meta);
  }
  zod(schema: unknown, at: string): ZodType {
    return zodFromJson(schema, at);
  }
  graph(document: unknown, where: string): TaskGraphBase {
    return readGraph(document as GraphDocument, where, this.#parent.createEmpty());
  }
}

function slot(json: unknown, meta: unknown): ValueSlot {
  return ValueSlot.fromEncoded(encoded(json, meta));
}

/** A stored value whose annotations are checked by decoding it once: a bad one is an error naming `at`. */
export function decodable(json: unknown, meta: unknown, at: string): ValueSlot {
  const value = slot(json, meta);
  if (meta === undefined) return value;
  try {
    void value.value;
  } catch (error) {
    throw new InvalidTraceError(API, {
      path: at,
      problem: `these annotations do not fit the value beside them (${(error as Error).message}).`,
      cause: error,
    });
  }
  return value;
}

function encoded(json: unknown, meta: unknown) {
  return meta === undefined
    ? { json: json as JsonValue }
    : { json: json as JsonValue, meta: meta as ValueMeta };
}

function zodFromJson(schema: unknown, at: string): ZodType {
  return zodFromStoredSchema(schema, at, API);
}

/** `$.graph.tasks[3].deps[0]` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
