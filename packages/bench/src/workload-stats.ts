import type { WorkloadStats } from './workload.js';
import { checksumOf, expectedOutputs } from './workload.js';

/** The stats a workload file carries, computed from its deps (and latencies): to check files and build new graphs. */
export function workloadStats(
  deps: readonly (readonly number[])[],
  latencyMs?: readonly number[],
): WorkloadStats {
  const n = deps.length;
  const level = new Int32Array(n);
  let edges = 0;
  let maxDeps = 0;
  let depthLevels = 0;
  for (let i = 0; i < n; i++) {
    const list = deps[i] as number[];
    edges += list.length;
    maxDeps = Math.max(maxDeps, list.length);
    let l = 0;
    for (const dep of list) l = Math.max(l, (level[dep] as number) + 1);
    level[i] = l;
    depthLevels = Math.max(depthLevels, l + 1);
  }
  const widths = new Int32Array(depthLevels);
  for (let i = 0; i < n; i++) {
    const l = level[i] as number;
    widths[l] = (widths[l] as number) + 1;
  }
  const outputs = expectedOutputs(deps);
  const stats: WorkloadStats = {
    edges,
    maxDeps,
    depthLevels,
    maxLevelWidth: Math.max(0, ...widths),
    checksum: checksumOf(outputs),
    lastOutput: outputs[n - 1] ?? 0,
  };
  if (latencyMs) Object.assign(stats, latencyBounds(deps, latencyMs, level, depthLevels));
  return stats;
}

/** Makespan bounds of a graph of sleeping tasks: critical path, total work, lock-step rounds, 8 slots. */
function latencyBounds(
  deps: readonly (readonly number[])[],
  latencyMs: readonly number[],
  level: Int32Array,
  depthLevels: number,
): Pick<WorkloadStats, 'criticalPathMs' | 'totalWorkMs' | 'superstepBoundMs' | 'limit8LowerBoundMs'> {
  const finish = new Float64Array(deps.length);
  const roundMax = new Float64Array(depthLevels);
  let criticalPathMs = 0;
  let totalWorkMs = 0;
  for (let i = 0; i < deps.length; i++) {
    const ms = latencyMs[i] as number;
    let start = 0;
    for (const dep of deps[i] as number[]) start = Math.max(start, finish[dep] as number);
    finish[i] = start + ms;
    criticalPathMs = Math.max(criticalPathMs, finish[i] as number);
    totalWorkMs += ms;
    const l = level[i] as number;
    roundMax[l] = Math.max(roundMax[l] as number, ms);
  }
  const superstepBoundMs = roundMax.reduce((sum, ms) => sum + ms, 0);
  return {
    criticalPathMs,
    totalWorkMs,
    superstepBoundMs,
    limit8LowerBoundMs: Math.max(criticalPathMs, totalWorkMs / 8),
  };
}
