import type { TaskRecord } from '@taskgraph/core';
import type { TaskIndex } from '../../../src/view-model/task-index.js';

/** What the filters ask for; an absent field matches every task. */
export interface TaskFilter {
  status?: string;
  kind?: string;
  /** The task's function id (an LLM task's prompt formatter, a GraphTask's input formatter). */
  fn?: string;
}

/** The function a task is known by. */
export function functionOf(record: TaskRecord): string {
  switch (record.kind) {
    case 'function':
      return record.fn;
    case 'llm':
      return record.promptFn;
    case 'human':
      return record.questionFn;
    default:
      return record.inputFn;
  }
}

/** The values each filter can take in this trace, sorted. */
export function filterChoices(index: TaskIndex): { status: string[]; kind: string[]; fn: string[] } {
  const status = new Set<string>();
  const kind = new Set<string>();
  const fn = new Set<string>();
  for (const { record } of index.tasks.values()) {
    status.add(record.status);
    kind.add(record.kind);
    fn.add(functionOf(record));
  }
  return { status: [...status].sort(), kind: [...kind].sort(), fn: [...fn].sort() };
}

export function isFilterSet(filter: TaskFilter): boolean {
  return filter.status !== undefined || filter.kind !== undefined || filter.fn !== undefined;
}

/** Keys of the tasks the filter leaves out; undefined when no filter is set. */
export function filteredOut(index: TaskIndex, filter: TaskFilter): Set<string> | undefined {
  if (!isFilterSet(filter)) return undefined;
  const out = new Set<string>();
  for (const { key, record } of index.tasks.values()) {
    const match =
      (filter.status === undefined || record.status === filter.status) &&
      (filter.kind === undefined || record.kind === filter.kind) &&
      (filter.fn === undefined || functionOf(record) === filter.fn);
    if (!match) out.add(key);
  }
  return out;
}
