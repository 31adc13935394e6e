import type { TaskRecord, TraceDocument } from '@taskgraph/core';

/** The stored record of the task at `taskPath` in a trace document (a GraphTask's record holds its graph). */
export function taskRecord(document: TraceDocument, taskPath: readonly string[]): TaskRecord | undefined {
  let tasks = document.graph.tasks;
  let record: TaskRecord | undefined;
  for (const id of taskPath) {
    record = tasks.find((candidate) => candidate.id === id);
    if (!record) return undefined;
    tasks = record.kind === 'graph' ? record.graph.tasks : [];
  }
  return record;
}
