import type { TaskStatus, TraceDocument } from '@taskgraph/core';
import type { CriticalPath } from './critical-path.js';
import { criticalPath } from './critical-path.js';
import type { TaskIndex } from './task-index.js';

/** Every status a task can have, in the order the totals show them: a record, so none can be left out. */
const STATUS_ORDER: Record<TaskStatus, true> = {
  pending: true,
  running: true,
  waiting: true,
  done: true,
  failed: true,
  skipped: true,
  cancelled: true,
};

export const TASK_STATUSES = Object.keys(STATUS_ORDER) as readonly TaskStatus[];

/** What a trace adds up to, over every task (nested graphs included). */
export interface RunTotals {
  tasks: number;
  byStatus: Record<TaskStatus, number>;
  /** LLM tasks that hold a response. */
  llmTasks: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Sum of the stored costs that are known. */
  costUsd: number;
  /** LLM tasks whose model had no price: their cost is unknown, not zero. */
  unknownCostTasks: number;
  /** The last run's wall time, or the span of the tasks' timings when the trace has no run record. */
  wallMs: number | undefined;
  criticalPath: CriticalPath;
}

/** Adds up statuses, tokens, costs and times of the tasks of a trace. */
export function runTotals(trace: Pick<TraceDocument, 'run'>, index: TaskIndex): RunTotals {
  const byStatus = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<
    TaskStatus,
    number
  >;
  const totals = {
    llmTasks: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    unknownCostTasks: 0,
  };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { record } of index.tasks.values()) {
    byStatus[record.status]++;
    if (record.startedAt !== undefined) {
      first = Math.min(first, record.startedAt);
      last = Math.max(last, record.startedAt + (record.durationMs ?? 0));
    }
    if (record.kind !== 'llm' || record.response === undefined) continue;
    totals.llmTasks++;
    totals.promptTokens += record.usage?.promptTokens ?? 0;
    totals.completionTokens += record.usage?.completionTokens ?? 0;
    totals.totalTokens += record.usage?.totalTokens ?? 0;
    if (typeof record.costUsd === 'number') totals.costUsd += record.costUsd;
    else if (record.costUsd === null) totals.unknownCostTasks++;
  }
  const span = last >= first ? last - first : undefined;
  return {
    tasks: index.tasks.size,
    byStatus,
    ...totals,
    wallMs: trace.run?.durationMs ?? span,
    criticalPath: criticalPath(index),
  };
}
