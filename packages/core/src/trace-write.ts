import { canonicalJson } from './hash.js';
import { sealFingerprints } from './memo.js';
import type { AnyTask, Stage } from './task.js';
import type { TaskGraph } from './task-graph.js';
import type { GraphDocument, TaskRecord, TraceDocument } from './trace-schema.js';
import { TRACE_FORMAT, TRACE_VERSION } from './trace-schema.js';
import type { ValueSlot } from './value-slot.js';

/** Where the JSON Schema of the trace is published with the package, for editors that validate hand edits. */
export const TRACE_SCHEMA_URL = 'https://unpkg.com/@taskgraph/core@0/trace.schema.json';

/** The whole graph with its execution state as one trace document. */
export function writeTrace(graph: TaskGraph): TraceDocument {
  sealFingerprints(graph);
  const document: TraceDocument = {
    $schema: TRACE_SCHEMA_URL,
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    savedAt: new Date().toISOString(),
    ...(graph.runInfo ? { run: graph.runInfo } : {}),
    graph: writeGraph(graph),
  };
  return document;
}

function writeGraph(graph: TaskGraph, withTasks = true): GraphDocument {
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
export function writeTask(task: AnyTask, nested = true): TaskRecord {
  const record = definitionRecord(task) as TaskRecord & Record<string, unknown>;
  record.status = task.status === 'running' ? 'pending' : task.status;
  if (task.readsInput) record.readsInput = true;
  if (Object.keys(task.versions).length > 0) record.versions = { ...task.versions };
  if (task.attempts > 0) record.attempts = task.attempts;
  if (task.startedAt !== undefined) record.startedAt = round(task.startedAt);
  if (task.durationMs !== undefined) record.durationMs = round(task.durationMs);
  if (task.kind === 'llm') {
    if (task.usage) record.usage = task.usage;
    if (task.model !== undefined) record.model = task.model;
    if (task.costUsd !== undefined) record.costUsd = task.costUsd;
    if (task.repairs.length > 0) record.repairs = task.repairs;
    if (task.responseSource) record.responseSource = task.responseSource;
  }
  if (task.error) record.error = task.error;
  const meta: Partial<Record<Stage, unknown>> = {};
  const stages = task.stages();
  for (const stage of ['prompt', 'response', 'output'] as const) {
    const slot: ValueSlot | undefined =
      stage === 'output' && task.kind === 'graph' ? undefined : stages[stage];
    if (!slot) continue;
    const { json, meta: stageMeta } = slot.encoded;
    if (json !== undefined) record[stage] = json;
    if (stageMeta) meta[stage] = stageMeta;
  }
  if (Object.keys(meta).length > 0) record.meta = meta;
  if (Object.keys(task.fingerprints).length > 0) record.fingerprints = { ...task.fingerprints };
  if (task.kind === 'graph')
    record.graph = nested ? writeGraph(task.graph) : { ...writeGraph(task.graph, false) };
  return record;
}

/** The fields that define a task (not its state), in the order a trace shows them. */
function definitionRecord(task: AnyTask): Record<string, unknown> {
  const record: Record<string, unknown> = { id: task.id, kind: task.kind };
  switch (task.kind) {
    case 'function':
      record.fn = task.fn;
      if (task.attemptsPolicy.retries !== undefined) record.retries = task.attemptsPolicy.retries;
      if (task.attemptsPolicy.timeoutMs !== undefined) record.timeoutMs = task.attemptsPolicy.timeoutMs;
      break;
    case 'llm':
      record.promptFn = task.promptFn;
      record.parser = 'fn' in task.parser ? task.parser.fn : { schema: task.parser.schemaJson };
      record.handler = task.handler;
      if (Object.keys(task.params).length > 0) record.params = task.params;
      if (task.maxRepairs !== ('schema' in task.parser ? 1 : 0)) record.maxRepairs = task.maxRepairs;
      break;
    case 'graph':
      record.inputFn = task.inputFn;
      break;
  }
  if (task.deps.length > 0) record.deps = [...task.deps];
  if (Object.keys(task.namedDeps).length > 0) record.namedDeps = { ...task.namedDeps };
  if (task.createdBy !== undefined) record.createdBy = task.createdBy;
  if (task.args !== undefined) record.args = task.args;
  if (task.schemaJson !== undefined) record.schema = task.schemaJson;
  return record;
}

/** A string equal for two tasks exactly when their definitions are equal (nested graphs included). */
export function definitionKey(task: AnyTask): string {
  const record = definitionRecord(task);
  if (task.kind === 'graph') {
    record.graph = {
      outputTask: task.graph.outputId,
      tasks: [...task.graph.tasks()].filter((t) => t.createdBy === undefined).map(definitionKey),
    };
  }
  return canonicalJson(record);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
