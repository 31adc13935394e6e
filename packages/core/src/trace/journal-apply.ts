import { z } from 'zod';
import { DEPTH_LIMIT } from '../model/depth-limit.js';
import { InvalidTraceError } from '../model/errors.js';
import { expandRecord } from './compact-record.js';
import { type TaskFileRecord, taskFileRecordSchema } from './trace-file-schema.js';
import { traceTimeOrigin } from './trace-file-text.js';
import { checkRecordLimits, field } from './trace-limits.js';
import { jsonPath } from './trace-read.js';
import { type TraceDocument, taskRecordSchema } from './trace-schema.js';

type RawRecord = { id: string; graph?: RawGraph } & Record<string, unknown>;
type RawGraph = { tasks: RawRecord[] } & Record<string, unknown>;

/**
 * One line of a journal: a task's latest state, or the removal of a task. The state is the task's line in
 * a trace file (`task`: its compact record, times after the trace's `run.startedAt`); journals written
 * before that hold its version 1 record (`record`), and still apply.
 */
export type JournalLine =
  | { path: readonly string[]; task: Record<string, unknown> }
  | { path: readonly string[]; record: Record<string, unknown> }
  | { path: readonly string[]; drop: true };

/** The journal line of a task's state, from its path and its trace file line (see TraceStore.record). */
export function journalTaskLine(path: readonly string[], line: string): string {
  return `{"path":${JSON.stringify(path)},"task":${line}}`;
}

const API = 'foldJournal';

const taskPathSchema = z
  .array(z.string().min(1))
  .min(1)
  .max(DEPTH_LIMIT + 1);
/** A journal line as a file holds it: validated before it touches the trace. */
const journalLineSchema = z
  .strictObject({
    path: taskPathSchema,
    drop: z.literal(true).optional(),
    task: taskFileRecordSchema.optional(),
    record: taskRecordSchema.optional(),
  })
  .refine((line) => [line.drop, line.task, line.record].filter((part) => part !== undefined).length === 1, {
    message: 'a line holds one of `task`, `record` or `drop: true`',
  });

/** Applies journal lines to a trace document in place: each line replaces (or adds, or drops) one task. */
export function applyJournal(document: unknown, text: string, source = 'journal'): void {
  applyJournalLines(document, text.split('\n'), source);
}

/**
 * applyJournal for lines already split (JSON text each; a last line cut short by a crash is ignored).
 * A line that is not a task's record or removal, or names a graph the trace does not have, is
 * INVALID_TRACE naming `<source>:<line>` and the field; so is a trace with no task list to apply it to.
 */
export function applyJournalLines(document: unknown, lines: readonly string[], source: string): void {
  const root = rawGraph(field(document, 'graph'), '$.graph', source);
  const indexes = new WeakMap<RawGraph, Map<string, number>>();
  // Each graph is checked and indexed once, when a line first reaches it: every line costs the same.
  const indexOf = (graph: RawGraph) => {
    let index = indexes.get(graph);
    if (!index) {
      index = new Map(graph.tasks.map((task, i) => [task.id, i]));
      indexes.set(graph, index);
    }
    return index;
  };
  const dropped = new Set<RawGraph>();
  const origin = traceTimeOrigin(document as TraceDocument);
  lines.forEach((line, number) => {
    if (line.trim() === '') return;
    const where = `${source}:${number + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      if (number >= lines.length - 2) return; // the last line, cut short by a crash
      throw new InvalidTraceError(API, { path: where, problem: 'not a JSON line.', cause: error });
    }
    const entry = checkLine(raw, where);
    const graph = graphAt(root, entry.path.slice(0, -1), where, indexOf, (g) => indexes.has(g), source);
    const id = entry.path[entry.path.length - 1] as string;
    const index = indexOf(graph);
    const at = index.get(id);
    if ('drop' in entry) {
      // Marked, and removed once at the end: a removal per line would make many drops quadratic.
      if (at !== undefined) {
        (graph.tasks as (RawRecord | undefined)[])[at] = undefined;
        index.delete(id);
        dropped.add(graph);
      }
      return;
    }
    const record = (
      'task' in entry ? expandRecord(entry.task as TaskFileRecord, origin) : entry.record
    ) as RawRecord;
    if (at === undefined) {
      index.set(id, graph.tasks.length);
      graph.tasks.push(record);
      return;
    }
    const previous = graph.tasks[at] as RawRecord;
    // A record with a nested graph is journaled without its nested tasks: they keep their own lines.
    // The graph object is kept (its fields updated) so that what indexes it stays valid.
    if (record.graph && previous.graph) {
      record.graph = Object.assign(previous.graph, { ...record.graph, tasks: previous.graph.tasks });
    }
    graph.tasks[at] = record;
  });
  for (const graph of dropped) graph.tasks = graph.tasks.filter((task) => task !== undefined);
}

function checkLine(raw: unknown, where: string): JournalLine & { path: string[] } {
  const path = field(raw, 'path');
  const level = Array.isArray(path) ? Math.max(0, path.length - 1) : 0;
  for (const key of ['task', 'record']) {
    const record = field(raw, key);
    if (record !== undefined) checkRecordLimits(record, `${where}.${key}`, API, level);
  }
  const parsed = journalLineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new InvalidTraceError(API, {
      path: `${where}${jsonPath(issue.path).slice(1)}`,
      problem: `${issue.message} (a journal line is { path, task }, { path, record } or { path, drop: true }).`,
    });
  }
  const entry = raw as JournalLine & { path: string[] };
  const record = 'task' in entry ? entry.task : 'record' in entry ? entry.record : undefined;
  if (record !== undefined && record.id !== entry.path[entry.path.length - 1]) {
    throw new InvalidTraceError(API, {
      path: `${where}.${'task' in entry ? 'task' : 'record'}.id`,
      problem: `the record's id "${String(record.id)}" is not the last id of its path (${entry.path.join(' > ')}).`,
    });
  }
  return entry;
}

function graphAt(
  root: RawGraph,
  path: string[],
  where: string,
  indexOf: (graph: RawGraph) => Map<string, number>,
  indexed: (graph: RawGraph) => boolean,
  source: string,
): RawGraph {
  let graph = root;
  let at = '$.graph';
  for (const id of path) {
    const index = indexOf(graph).get(id) ?? -1;
    const task = graph.tasks[index];
    if (!task?.graph) {
      throw new InvalidTraceError(API, {
        path: `${where}.path`,
        problem: `no graph task "${path.join(' > ')}" in the trace.`,
      });
    }
    at = `${at}.tasks[${index}].graph`;
    graph = task.graph;
    if (!indexed(graph)) rawGraph(graph, at, source);
  }
  return graph;
}

/** A graph of the trace the journal applies to, checked as far as applying reads it. */
function rawGraph(value: unknown, at: string, source: string): RawGraph {
  const tasks = field(value, 'tasks');
  const bad = !Array.isArray(tasks) ? -1 : tasks.findIndex((task) => typeof field(task, 'id') !== 'string');
  if (bad === -1 && Array.isArray(tasks)) return value as RawGraph;
  throw new InvalidTraceError(API, {
    path: Array.isArray(tasks) ? `${at}.tasks[${bad}].id` : `${at}.tasks`,
    problem: `the trace has no ${Array.isArray(tasks) ? 'task id' : 'task list'} here to apply its journal ("${source}") to; the journal was left as it is.`,
  });
}
