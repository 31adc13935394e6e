import { InvalidTraceError } from '../model/errors.js';

type RawRecord = { id: string; graph?: RawGraph } & Record<string, unknown>;
type RawGraph = { tasks: RawRecord[] } & Record<string, unknown>;

/** One line of a journal: a task's record (its latest state) or the removal of a task. */
export type JournalLine =
  | { path: readonly string[]; record: Record<string, unknown> }
  | { path: readonly string[]; drop: true };

/** Applies journal lines to a trace document in place: each line replaces (or adds, or drops) one task. */
export function applyJournal(document: { graph: RawGraph }, text: string, source = 'journal'): void {
  applyJournalLines(document, text.split('\n'), source);
}

/** applyJournal for lines already split (JSON text each; a last line cut short by a crash is ignored). */
export function applyJournalLines(
  document: { graph: RawGraph },
  lines: readonly string[],
  source: string,
): void {
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
      throw new InvalidTraceError('foldJournal', {
        path: `${source}:${number + 1}`,
        problem: 'not a JSON line.',
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
    // A record with a nested graph is journaled without its nested tasks: they keep their own lines.
    if (record.graph && previous.graph) record.graph = { ...record.graph, tasks: previous.graph.tasks };
    graph.tasks[at] = record;
  });
}

function graphAt(root: RawGraph, path: string[], source: string, line: number): RawGraph {
  let graph = root;
  for (const id of path) {
    const task = graph.tasks.find((t) => t.id === id);
    if (!task?.graph) {
      throw new InvalidTraceError('foldJournal', {
        path: `${source}:${line + 1}`,
        problem: `no graph task "${path.join(' > ')}" in the trace.`,
      });
    }
    graph = task.graph;
  }
  return graph;
}
