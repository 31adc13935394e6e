import type { GraphFileDocument, TaskFileRecord } from './trace-file-schema.js';
import type { GraphDocument, TaskRecord } from './trace-schema.js';

/**
 * A task record (version 1, every field explicit) as a version 2 file writes it: kind "function",
 * status "done" and the implied attempts left out, `startedAt` and `durationMs` as `at` and `ms` (ms
 * after `origin`, rounded to 0.01 ms; `ms` left out when it rounds to 0), and `fingerprints` as `fp`, a
 * string when the output's is the only one. A nested graph's records are compacted too. Keys keep the
 * order of the record, `graph` last.
 */
export function compactRecord(record: TaskRecord, origin: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const started = record.startedAt !== undefined;
  for (const key in record) {
    const value = (record as Record<string, unknown>)[key];
    if (value === undefined) continue;
    switch (key) {
      case 'kind':
        if (value !== 'function') out.kind = value;
        break;
      case 'status':
        if (value !== 'done') out.status = value;
        break;
      case 'attempts':
        if (value !== (started ? 1 : 0)) out.attempts = value;
        break;
      case 'startedAt':
        out.at = roundFileMs((value as number) - origin);
        break;
      case 'durationMs': {
        const ms = roundFileMs(value as number);
        if (ms !== 0) out.ms = ms;
        break;
      }
      case 'fingerprints': {
        const fingerprints = value as Record<string, string>;
        const keys = Object.keys(fingerprints);
        if (keys.length === 1 && keys[0] === 'output') out.fp = fingerprints.output;
        else if (keys.length > 0) out.fp = inStageOrder(fingerprints);
        break;
      }
      case 'graph':
        break;
      default:
        out[key] = value;
    }
  }
  // A v1 record without `attempts` (never executed) that has started is rare; keep it exact.
  if (started && record.attempts === undefined) out.attempts = 0;
  const graph = (record as { graph?: GraphDocument }).graph;
  if (graph) out.graph = compactGraph(graph, origin);
  return out;
}

function compactGraph(graph: GraphDocument, origin: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in graph) {
    const value = (graph as unknown as Record<string, unknown>)[key];
    if (value !== undefined && key !== 'tasks') out[key] = value;
  }
  out.tasks = graph.tasks.map((record) => compactRecord(record, origin));
  return out;
}

/** The version 1 record of a validated version 2 record (the inverse of compactRecord, up to rounding). */
export function expandRecord(record: TaskFileRecord, origin: number): TaskRecord {
  const out: Record<string, unknown> = {};
  const file = record as Record<string, unknown>;
  if (file.kind === undefined) out.kind = 'function';
  for (const key in file) {
    const value = file[key];
    if (value === undefined) continue;
    switch (key) {
      case 'at':
        out.startedAt = (value as number) + origin;
        out.durationMs = file.ms ?? 0;
        break;
      case 'ms':
        out.durationMs = value;
        break;
      case 'fp':
        out.fingerprints = typeof value === 'string' ? { output: value } : { ...(value as object) };
        break;
      case 'graph':
        out.graph = expandGraph(value as GraphFileDocument, origin);
        break;
      // Version 1 names are not version 2 fields: ignored, as zod's schema ignores them.
      case 'startedAt':
      case 'durationMs':
      case 'fingerprints':
        break;
      default:
        out[key] = value;
    }
  }
  out.status ??= 'done';
  // Version 1 leaves out attempts 0.
  if (out.attempts === undefined && file.at !== undefined) out.attempts = 1;
  return out as TaskRecord;
}

function expandGraph(graph: GraphFileDocument, origin: number): GraphDocument {
  const out: Record<string, unknown> = {};
  for (const key in graph) {
    const value = (graph as unknown as Record<string, unknown>)[key];
    if (value !== undefined && key !== 'tasks') out[key] = value;
  }
  out.tasks = graph.tasks.map((record) => expandRecord(record, origin));
  return out as unknown as GraphDocument;
}

/** Stages in the order a task computes them, so that `fp` reads as the record does. */
const STAGE_ORDER = ['input', 'question', 'answer', 'prompt', 'response', 'output'];

function inStageOrder(fingerprints: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stage of STAGE_ORDER) if (fingerprints[stage] !== undefined) out[stage] = fingerprints[stage];
  for (const key in fingerprints) out[key] ??= fingerprints[key] as string;
  return out;
}

/** A task time as a version 2 file writes it: rounded to 0.01 ms. */
export function roundFileMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
