import { describe, expect, it } from 'vitest';
import { scheduleLowerBound } from './schedule-bound.js';
import { readWorkload } from './workload.js';
import { workloadStats } from './workload-stats.js';

describe('scheduleLowerBound', () => {
  it('counts the work that cannot start before its dependencies: one task, then 16 behind it on 8 slots', () => {
    const deps = [[], ...Array.from({ length: 16 }, () => [0])];
    const durations = [100, ...Array.from({ length: 16 }, () => 10)];
    // Critical path 110 and work / 8 = 32.5; the best schedule takes 100 + 2 rounds of 10.
    expect(scheduleLowerBound(deps, durations, 8)).toEqual({ ms: 120, x: 100, y: 0, workMs: 160 });
  });

  it('is the critical path for a chain, and the work / slots for independent tasks', () => {
    expect(scheduleLowerBound([[], [0], [1]], [5, 7, 11], 8).ms).toBe(23);
    expect(scheduleLowerBound([[], [], [], []], [10, 10, 10, 10], 2).ms).toBe(20);
  });

  it('on W4/W5 is above max(critical path, work / 8): no schedule of 8 slots reaches 1.10x of it', () => {
    const w = readWorkload('w4_latency_200');
    const stats = workloadStats(w.deps, w.latencyMs);
    const bound = scheduleLowerBound(w.deps, w.latencyMs as number[], 8);
    expect(bound.ms).toBeGreaterThan(1.1 * (stats.limit8LowerBoundMs as number));
  });
});
