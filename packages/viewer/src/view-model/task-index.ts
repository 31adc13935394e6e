import type { GraphDocument, TaskRecord, TraceDocument } from '@taskgraph/core';

/** Joins a task path into the key the page uses for a task, as core's messages print paths. */
export const PATH_SEPARATOR = ' > ';

export function pathKey(path: readonly string[]): string {
  return path.join(PATH_SEPARATOR);
}

/** One task of a trace, with its place in the graph. */
export interface TaskEntry {
  key: string;
  /** Ids from the root graph through the enclosing GraphTasks to the task. */
  path: string[];
  /** Key of the enclosing GraphTask; undefined for a task of the root graph. */
  parent: string | undefined;
  record: TaskRecord;
  /** Keys of the tasks it depends on, positional then named, without repeats. */
  deps: string[];
  /** Keys of the tasks that depend on it ("used by"), in file order. */
  usedBy: string[];
  /** Key of the task that created it while running. */
  creator: string | undefined;
  /** Keys of the tasks it created while running, in file order. */
  created: string[];
  /** Keys of the tasks of its nested graph, for a GraphTask (in file order). */
  children: string[];
}

/** Every task of a trace by key, nested graphs included. */
export interface TaskIndex {
  tasks: Map<string, TaskEntry>;
  /** Keys of the root graph's tasks, in file order. */
  roots: string[];
}

/** Indexes every task of a trace (nested graphs included) by its path key. */
export function indexTrace(trace: Pick<TraceDocument, 'graph'>): TaskIndex {
  const tasks = new Map<string, TaskEntry>();
  const roots = indexGraph(trace.graph, [], undefined, tasks);
  for (const entry of tasks.values()) {
    for (const dep of entry.deps) tasks.get(dep)?.usedBy.push(entry.key);
    if (entry.creator !== undefined) tasks.get(entry.creator)?.created.push(entry.key);
  }
  return { tasks, roots };
}

function indexGraph(
  graph: GraphDocument,
  path: string[],
  parent: string | undefined,
  out: Map<string, TaskEntry>,
): string[] {
  const keys: string[] = [];
  // Keys are built by prefix, not by joining a path per task and per dependency: a large trace has
  // tens of thousands of both.
  const prefix = path.length === 0 ? '' : `${pathKey(path)}${PATH_SEPARATOR}`;
  for (const record of graph.tasks) {
    const key = prefix + record.id;
    const named = record.namedDeps ? Object.values(record.namedDeps) : [];
    const depIds = named.length === 0 ? (record.deps ?? []) : [...(record.deps ?? []), ...named];
    const unique = depIds.length < 2 ? depIds : [...new Set(depIds)];
    const entry: TaskEntry = {
      key,
      path: [...path, record.id],
      parent,
      record,
      deps: unique.map((id) => prefix + id),
      usedBy: [],
      created: [],
      creator: record.createdBy === undefined ? undefined : prefix + record.createdBy,
      children: [],
    };
    out.set(key, entry);
    keys.push(key);
    if (record.kind === 'graph') entry.children = indexGraph(record.graph, entry.path, key, out);
  }
  return keys;
}

/** The output a task shows: its own, or for a GraphTask the output of its nested graph's output task. */
export function shownOutput(record: TaskRecord): { present: boolean; value: unknown } {
  if (record.kind === 'graph') {
    const output = record.graph.tasks.find((task) => task.id === record.graph.outputTask);
    return output ? shownOutput(output) : { present: false, value: undefined };
  }
  return { present: 'output' in record && record.output !== undefined, value: record.output };
}

/** Keys of the GraphTasks that enclose `key`, outermost first. */
export function ancestorsOf(index: TaskIndex, key: string): string[] {
  const chain: string[] = [];
  let parent = index.tasks.get(key)?.parent;
  while (parent !== undefined) {
    chain.unshift(parent);
    parent = index.tasks.get(parent)?.parent;
  }
  return chain;
}
