import { TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { summaryLine } from './progress-view.js';
import { RunMonitor } from './run-monitor.js';

describe('elapsed time of a run', () => {
  it('is read from the clock since the monitor started, in the progress and the summary line', () => {
    let now = 10_000;
    const monitor = new RunMonitor(
      new TaskGraph(),
      () => {},
      () => now,
    );
    now += 1_500;
    expect(monitor.progress().elapsedMs).toBe(1_500);
    now += 2_000;
    const summary = monitor.summary();
    expect(summary.elapsedMs).toBe(3_500);
    expect(summaryLine(summary)).toBe('0 tasks: 0 ran, 0 reused · 0 LLM calls · 0 tokens · $0.0000 · 3.5 s');
  });
});
