import { sealFingerprints } from '../memo/fingerprints.js';
import { canonicalJson } from '../memo/hash.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { GraphDocument, TaskRecord, TraceDocument } from './trace-schema.js';
import { TRACE_FORMAT, TRACE_VERSION } from './trace-schema.js';

/** Where the JSON Schema of the trace is published with the package, for editors that validate hand edits. */
export const TRACE_SCHEMA_URL = 'https://unpkg.com/@taskgraph/core@0/trace.schema.json';

/** The whole graph with its execution state as one trace document. */
export function writeTrace(graph: TaskGraphBase): TraceDocument {
  return writeTraceHead(graph, true);
}

/**
 * The trace document of a graph without its root tasks (`graph.tasks` is empty) unless `withTasks`:
 * a streamed save writes the tasks one at a time after it (see writeTask).
 */
export function writeTraceHead(graph: TaskGraphBase, withTasks = false): TraceDocument {
  sealFingerprints(graph);
  const document: TraceDocument = {
    $schema: TRACE_SCHEMA_URL,
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    savedAt: new Date().toISOString(),
    ...(graph.runInfo ? { run: graph.runInfo } : {}),
    graph: writeGraph(graph, withTasks),
  };
  return document;
}

function writeGraph(graph: TaskGraphBase, withTasks = true): GraphDocument {
  const document: Partial<GraphDocument> = {};
  if (graph.inputSlot) {
    const { json, meta } = graph.inputSlot.encoded;
    if (json !== undefined) document.input = json;
    if (meta) document.inputMeta = meta;
  }
  if (graph.outputId !== undefined) document.outputTask = graph.outputId;
  document.tasks = [];
  if (withTasks) for (const task of graph.tasks()) document.tasks.push(writeTask(task));
  return document as GraphDocument;
}

/** The record of one task; a GraphTask's nested tasks are left out when `nested` is false (journal lines). */
export function writeTask(task: Task, nested = true): TaskRecord {
  const { descriptor } = task;
  const record = definitionRecord(task) as TaskRecord & Record<string, unknown>;
  record.status = task.status === 'running' ? 'pending' : task.status;
  if (task.readsInput) record.readsInput = true;
  if (Object.keys(task.versions).length > 0) record.versions = { ...task.versions };
  if (task.attempts > 0) record.attempts = task.attempts;
  if (task.startedAt !== undefined) record.startedAt = roundRecordMs(task.startedAt);
  if (task.durationMs !== undefined) record.durationMs = roundRecordMs(task.durationMs);
  descriptor.writeState(task, record);
  if (task.error) record.error = task.error;
  const meta: Record<string, unknown> = {};
  for (const stage of descriptor.stages) {
    const value = stage.inRecord ? stage.get(task) : undefined;
    if (!value) continue;
    const { json, meta: stageMeta } = value.encoded;
    if (json !== undefined) record[stage.stage] = json;
    if (stageMeta) meta[stage.stage] = stageMeta;
  }
  if (Object.keys(meta).length > 0) record.meta = meta;
  if (Object.keys(task.fingerprints).length > 0) record.fingerprints = { ...task.fingerprints };
  const graph = descriptor.nested?.graph(task);
  if (graph) record.graph = nested ? writeGraph(graph) : { ...writeGraph(graph, false) };
  return record;
}

/**
 * The fields that define a task (not its state), in the order a trace shows them. Without `identity`,
 * what the task does only: no id, dependencies or creator.
 */
export function definitionRecord(task: Task, identity = true): Record<string, unknown> {
  const record: Record<string, unknown> = identity ? { id: task.id, kind: task.kind } : { kind: task.kind };
  task.descriptor.writeDefinition(task, record);
  if (identity) {
    if (task.deps.length > 0) record.deps = [...task.deps];
    if (Object.keys(task.namedDeps).length > 0) record.namedDeps = { ...task.namedDeps };
    if (task.createdBy !== undefined) record.createdBy = task.createdBy;
  }
  if (task.args !== undefined) record.args = task.args;
  if (task.schemaJson !== undefined) record.schema = task.schemaJson;
  return record;
}

/** A string equal for two tasks exactly when their definitions are equal (nested graphs included). */
export function definitionKey(task: Task): string {
  const record = definitionRecord(task);
  const graph = task.descriptor.nested?.graph(task);
  if (graph) {
    record.graph = {
      outputTask: graph.outputId,
      tasks: [...graph.tasks()].filter((t) => t.createdBy === undefined).map(definitionKey),
    };
  }
  return canonicalJson(record);
}

/** A task time as a record holds it: rounded to the microsecond. */
export function roundRecordMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
