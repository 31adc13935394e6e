import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { InvalidTraceError, TaskGraphError } from './errors.js';
import { formatJson } from './format-json.js';
import { writeFileAtomic } from './trace-file-write.js';
import { readTrace } from './trace-read.js';

type RawRecord = { id: string; kind?: string; graph?: RawGraph } & Record<string, unknown>;
type RawGraph = { tasks: RawRecord[] } & Record<string, unknown>;

/** The journal file of a trace file. */
export function journalPath(tracePath: string): string {
  return `${tracePath}.journal`;
}

/**
 * Folds `<trace>.journal` into `<trace>` (validated, written atomically) and removes the journal.
 * A last line cut short by a crash is ignored. Returns whether there was a journal.
 */
export async function foldJournal(tracePath: string): Promise<boolean> {
  const journal = journalPath(tracePath);
  if (!existsSync(journal)) return false;
  const text = await readFile(journal, 'utf8');
  if (!existsSync(tracePath)) {
    throw new InvalidTraceError(
      'foldJournal',
      '$',
      `"${journal}" has no trace file "${tracePath}" to fold into.`,
    );
  }
  let document: { graph: RawGraph };
  try {
    document = JSON.parse(await readFile(tracePath, 'utf8'));
  } catch (error) {
    throw new InvalidTraceError(
      'foldJournal',
      '$',
      `"${tracePath}" is not valid JSON (${(error as Error).message}); its journal "${journal}" was left as it is.`,
      { cause: error },
    );
  }
  applyJournal(document, text, journal);
  readTrace(document);
  try {
    await writeFileAtomic(tracePath, formatJson(document));
  } catch (error) {
    throw new TaskGraphError(
      'TRACE_WRITE_FAILED',
      `foldJournal: cannot write "${tracePath}" (${(error as Error).message}).`,
      { cause: error },
    );
  }
  await rm(journal, { force: true });
  return true;
}

/** Applies journal lines to a trace document in place: each line replaces (or adds, or drops) one task. */
export function applyJournal(document: { graph: RawGraph }, text: string, source = 'journal'): void {
  const lines = text.split('\n');
  const indexes = new WeakMap<RawGraph, Map<string, number>>();
  const indexOf = (graph: RawGraph) => {
    let index = indexes.get(graph);
    if (!index) {
      index = new Map(graph.tasks.map((task, i) => [task.id, i]));
      indexes.set(graph, index);
    }
    return index;
  };
  lines.forEach((line, number) => {
    if (line.trim() === '') return;
    let entry: { path: string[]; record?: RawRecord; drop?: true };
    try {
      entry = JSON.parse(line);
    } catch (error) {
      if (number >= lines.length - 2) return; // the last line, cut short by a crash
      throw new InvalidTraceError('foldJournal', `${source}:${number + 1}`, 'not a JSON line.', {
        cause: error,
      });
    }
    const graph = graphAt(document.graph, entry.path.slice(0, -1), source, number);
    const id = entry.path[entry.path.length - 1] as string;
    const index = indexOf(graph);
    const at = index.get(id);
    if (entry.drop) {
      if (at !== undefined) {
        graph.tasks.splice(at, 1);
        indexes.delete(graph);
      }
      return;
    }
    const record = entry.record as RawRecord;
    if (at === undefined) {
      index.set(id, graph.tasks.length);
      graph.tasks.push(record);
      return;
    }
    const previous = graph.tasks[at] as RawRecord;
    if (record.kind === 'graph' && previous.graph)
      record.graph = { ...record.graph, tasks: previous.graph.tasks };
    graph.tasks[at] = record;
  });
}

function graphAt(root: RawGraph, path: string[], source: string, line: number): RawGraph {
  let graph = root;
  for (const id of path) {
    const task = graph.tasks.find((t) => t.id === id);
    if (!task?.graph) {
      throw new InvalidTraceError(
        'foldJournal',
        `${source}:${line + 1}`,
        `no graph task "${path.join(' > ')}" in the trace.`,
      );
    }
    graph = task.graph;
  }
  return graph;
}
