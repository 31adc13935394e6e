import type { TaskStatus } from '@taskgraph/core';
import type { RunTotals } from '../../../src/view-model/run-totals.js';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import type { LiveRun, LiveStatus } from '../live-run.js';

/**
 * The totals while a replay runs: each task the replay has reached counts under its live status (a
 * reused task as done; a task created by the replay is added, a dropped one taken away). A task that
 * calls its model again no longer counts its stored tokens and cost; the calls made so far count instead.
 */
export function liveTotals(totals: RunTotals, index: TaskIndex, live: LiveRun): RunTotals {
  if (live.tasks.size === 0 && live.usage.calls === 0) return totals;
  const byStatus = { ...totals.byStatus };
  let tasks = totals.tasks;
  const spent = { promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 };
  for (const [key, task] of live.tasks) {
    const record = index.tasks.get(key)?.record;
    if (record) byStatus[record.status]--;
    else tasks++;
    const now = countedAs(task.status);
    if (now) byStatus[now]++;
    else if (record) tasks--;
    if (record?.kind === 'llm' && live.usage.callers.has(key)) {
      spent.promptTokens += record.usage?.promptTokens ?? 0;
      spent.completionTokens += record.usage?.completionTokens ?? 0;
      spent.totalTokens += record.usage?.totalTokens ?? 0;
      spent.costUsd += record.costUsd ?? 0;
    }
  }
  return {
    ...totals,
    tasks,
    byStatus,
    promptTokens: totals.promptTokens - spent.promptTokens + live.usage.promptTokens,
    completionTokens: totals.completionTokens - spent.completionTokens + live.usage.completionTokens,
    totalTokens: totals.totalTokens - spent.totalTokens + live.usage.totalTokens,
    costUsd: totals.costUsd - spent.costUsd + live.usage.costUsd,
  };
}

function countedAs(status: LiveStatus): TaskStatus | undefined {
  if (status === 'reused') return 'done';
  if (status === 'dropped') return undefined;
  return status;
}
