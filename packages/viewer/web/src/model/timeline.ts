import type { TaskKind, TaskStatus } from '@taskgraph/core';
import type { TaskIndex } from '../../../src/view-model/task-index.js';

/** One task on the run's wall clock. */
export interface TimelineBar {
  key: string;
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  /** Milliseconds from the first task's start. */
  startMs: number;
  durationMs: number;
  attempts: number;
  critical: boolean;
  /** Nested-graph depth: 0 for a task of the root graph. */
  depth: number;
}

/** The whole run on one clock: bars in start order, how many tasks ran at once, and where time went. */
export interface Timeline {
  bars: TimelineBar[];
  /** Tasks with no recorded start (never ran). */
  notStarted: number;
  spanMs: number;
  /** The most tasks (GraphTasks aside) running at one time. */
  peakConcurrency: number;
  /** From each change on: how many tasks ran, as [ms, count] pairs in time order. */
  concurrency: Array<[number, number]>;
  /** Time spent in LLM tasks (waiting on the model) and in function tasks, summed over tasks. */
  llmMs: number;
  functionMs: number;
}

/** Lays the tasks of a trace on its wall clock, nested graphs included. */
export function timeline(index: TaskIndex, critical: ReadonlySet<string>): Timeline {
  const started = [...index.tasks.values()].filter((entry) => entry.record.startedAt !== undefined);
  const origin = started.reduce(
    (min, entry) => Math.min(min, entry.record.startedAt as number),
    Number.POSITIVE_INFINITY,
  );
  const bars: TimelineBar[] = started.map(({ key, record, path }) => ({
    key,
    id: record.id,
    kind: record.kind,
    status: record.status,
    startMs: (record.startedAt as number) - origin,
    durationMs: record.durationMs ?? 0,
    attempts: record.attempts ?? 1,
    critical: critical.has(key),
    depth: path.length - 1,
  }));
  bars.sort((a, b) => a.startMs - b.startMs);
  let llmMs = 0;
  let functionMs = 0;
  const changes: Array<[number, number]> = [];
  for (const bar of bars) {
    if (bar.kind === 'graph') continue;
    if (bar.kind === 'llm') llmMs += bar.durationMs;
    else functionMs += bar.durationMs;
    changes.push([bar.startMs, 1], [bar.startMs + bar.durationMs, -1]);
  }
  // Ends before starts at the same instant: a task that starts as another ends did not overlap it.
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const concurrency: Array<[number, number]> = [];
  let running = 0;
  let peak = 0;
  for (const [at, delta] of changes) {
    running += delta;
    peak = Math.max(peak, running);
    const last = concurrency[concurrency.length - 1];
    if (last && last[0] === at) last[1] = running;
    else concurrency.push([at, running]);
  }
  const spanMs = bars.reduce((max, bar) => Math.max(max, bar.startMs + bar.durationMs), 0);
  return {
    bars,
    notStarted: index.tasks.size - started.length,
    spanMs,
    peakConcurrency: peak,
    concurrency,
    llmMs,
    functionMs,
  };
}
