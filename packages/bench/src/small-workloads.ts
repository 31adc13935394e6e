import { mulberry32 } from './mulberry32.js';
import { randomDagDeps } from './random-dag.js';
import type { Workload } from './workload.js';
import { workloadStats } from './workload-stats.js';

// Workloads of the files' shapes at any size: the smoke test runs every harness on tiny ones.

/** A chain of n nodes (W1's shape). */
export function chainWorkload(n: number): Workload {
  const deps = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
  return { name: `w1_chain_${n}`, seed: null, n, deps, stats: workloadStats(deps) };
}

/** One source, `width` middle nodes, one sink (W2's shape). */
export function fanWorkload(width: number): Workload {
  const middle = Array.from({ length: width }, (_, i) => i + 1);
  const deps = [[], ...middle.map(() => [0]), middle];
  return { name: `w2_fanout_${width}`, seed: null, n: width + 2, deps, stats: workloadStats(deps) };
}

/** A W3-shaped graph whose nodes sleep 1 to `maxMs` ms (W4's kind, small, for tests). */
export function latencyWorkload(n: number, seed: number, maxMs: number): Workload {
  const deps = randomDagDeps(n, seed);
  const random = mulberry32(seed + 1);
  const latencyMs = deps.map(() => 1 + Math.floor(random() * maxMs));
  return { name: `latency_${n}`, seed, n, deps, latencyMs, stats: workloadStats(deps, latencyMs) };
}
