import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import type { ZodType, z } from 'zod';
import { ValueSlot } from '../memo/value-slot.js';
import type { ErrorData } from '../model/error-data.js';
import { InvalidTraceError, UnsupportedTraceVersionError } from '../model/errors.js';
import { findCycle } from '../model/find-cycle.js';
import type { JsonValue, ValueMeta } from '../model/json-value.js';
import type { RunInfo } from '../model/run-info.js';
import type { Stage, Task, TaskDefinition } from '../model/task.js';
import { TaskGraphBase } from '../model/task-graph-base.js';
import type { RecordReader } from '../model/task-kind.js';
import { kindDescriptor } from '../model/task-kinds.js';
import { zodFromStoredSchema } from './stored-schema.js';
import { checkTraceLimits } from './trace-limits.js';
import type { GraphDocument, TaskRecord } from './trace-schema.js';
import { TRACE_FORMAT, TRACE_VERSION, taskRecordSchema, traceDocumentSchema } from './trace-schema.js';

const API = 'TaskGraph.fromJSON';

/**
 * Validates a trace document and rebuilds the graph with its state into `into` (an empty graph; nested
 * graphs are made with its `createEmpty`). Errors name the JSON path.
 */
export function readTrace<G extends TaskGraphBase>(document: unknown, into?: G): G {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidTraceError(API, { path: '$', problem: 'expected a trace document (a JSON object).' });
  }
  const { format, version } = document as { format?: unknown; version?: unknown };
  if (format !== TRACE_FORMAT) {
    throw new InvalidTraceError(API, {
      path: '$.format',
      problem: `expected "${TRACE_FORMAT}", got ${JSON.stringify(format) ?? 'nothing'}.`,
    });
  }
  if (version !== TRACE_VERSION) {
    if (typeof version === 'number' && version > TRACE_VERSION)
      throw new UnsupportedTraceVersionError(API, { version, supported: TRACE_VERSION });
    throw new InvalidTraceError(API, {
      path: '$.version',
      problem: `expected ${TRACE_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}.`,
    });
  }
  checkTraceLimits(document, API);
  const parsed = traceDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = jsonPath(issue.path);
    throw new InvalidTraceError(API, { path, problem: `${issue.message}${taskNote(document, issue.path)}.` });
  }
  const graph = readGraph(parsed.data.graph, '$.graph', into ?? (new TaskGraphBase() as G));
  if (parsed.data.run) graph.runInfo = parsed.data.run as RunInfo;
  return graph;
}

function readGraph<G extends TaskGraphBase>(document: GraphDocument, path: string, graph: G): G {
  if (document.input !== undefined || document.inputMeta !== undefined) {
    graph.inputSlot = decodable(document.input, document.inputMeta, `${path}.inputMeta`);
  }
  const ids = new Set<string>();
  document.tasks.forEach((record, i) => {
    const at = `${path}.tasks[${i}]`;
    if (ids.has(record.id))
      throw new InvalidTraceError(API, {
        path: `${at}.id`,
        problem: `task id "${record.id}" appears twice.`,
      });
    ids.add(record.id);
  });
  document.tasks.forEach((record, i) => {
    const at = `${path}.tasks[${i}]`;
    (record.deps ?? []).forEach((dep, j) => {
      if (!ids.has(dep)) throw unknownTask(`${at}.deps[${j}]`, record.id, dep);
    });
    for (const [name, dep] of Object.entries(record.namedDeps ?? {})) {
      if (!ids.has(dep)) throw unknownTask(`${at}.namedDeps.${name}`, record.id, dep);
    }
    if (record.createdBy !== undefined && !ids.has(record.createdBy)) {
      throw unknownTask(`${at}.createdBy`, record.id, record.createdBy);
    }
  });
  // Tasks are added in dependency order, whatever the order of the file; a cycle is reported with its path.
  const byId = new Map(document.tasks.map((record, i) => [record.id, { record, at: `${path}.tasks[${i}]` }]));
  const order = dependencyOrder(document.tasks, path);
  for (const id of order) {
    const { record, at } = byId.get(id) as { record: TaskRecord; at: string };
    graph.add(readTask(record, at, graph), API);
  }
  if (document.outputTask !== undefined) {
    if (!ids.has(document.outputTask)) {
      throw new InvalidTraceError(API, {
        path: `${path}.outputTask`,
        problem: `no task has the id "${document.outputTask}".`,
      });
    }
    graph.outputId = document.outputTask;
  }
  return graph;
}

/** The file's order when every task comes after what it depends on (as written traces are), else a topological one. */
function dependencyOrder(records: readonly TaskRecord[], path: string): string[] {
  const seen = new Set<string>();
  const inOrder = records.every((record) => {
    const ok =
      (record.deps ?? []).every((dep) => seen.has(dep)) &&
      Object.values(record.namedDeps ?? {}).every((dep) => seen.has(dep)) &&
      (record.createdBy === undefined || seen.has(record.createdBy));
    seen.add(record.id);
    return ok;
  });
  if (inOrder) return records.map((record) => record.id);
  const structure = new DirectedGraph();
  for (const record of records) structure.addNode(record.id);
  for (const record of records) {
    for (const dep of [...(record.deps ?? []), ...Object.values(record.namedDeps ?? {})]) {
      structure.mergeDirectedEdge(dep, record.id);
    }
    if (record.createdBy !== undefined) structure.mergeDirectedEdge(record.createdBy, record.id);
  }
  if (hasCycle(structure)) {
    const cycle = findCycle(structure) ?? [];
    throw new InvalidTraceError(API, {
      path: `${path}.tasks`,
      problem: `the dependencies form a cycle (${cycle.join(' -> ')}).`,
      taskPath: cycle.slice(0, 1),
    });
  }
  return topologicalSort(structure);
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

function readTask(record: TaskRecord, at: string, graph: TaskGraphBase): Task {
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
  const reader: RecordReader = {
    at,
    value: slot,
    zod: zodFromJson,
    graph: (document, where) => readGraph(document as GraphDocument, where, graph.createEmpty()),
  };
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

function slot(json: unknown, meta: unknown): ValueSlot {
  return ValueSlot.fromEncoded(encoded(json, meta));
}

/** A stored value whose annotations are checked by decoding it once: a bad one is an error naming `at`. */
function decodable(json: unknown, meta: unknown, at: string): ValueSlot {
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

function unknownTask(at: string, taskId: string, missing: string): InvalidTraceError {
  return new InvalidTraceError(API, {
    path: at,
    problem: `task "${taskId}" refers to "${missing}", which is not in the graph.`,
    taskPath: [taskId],
  });
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

/** " (task "x")" when the path goes through a task record, to name the task in the message. */
function taskNote(document: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = document;
  let id: string | undefined;
  for (const key of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[key as string];
    const maybeId =
      node && typeof node === 'object' ? (node as { id?: unknown; kind?: unknown }).id : undefined;
    if (typeof maybeId === 'string' && 'status' in (node as object)) id = maybeId;
  }
  return id === undefined ? '' : ` (task "${id}")`;
}
