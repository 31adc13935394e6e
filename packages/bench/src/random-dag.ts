import { mulberry32 } from './mulberry32.js';
import type { Workload } from './workload.js';
import { workloadStats } from './workload-stats.js';

/**
 * W3's shape at any size, the rule that reproduces `w3_random_1000.json` (seed 33) and
 * `w3_random_10000.json` (seed 3) exactly: node 0 has no dependency; node i draws k = 1 + floor(3 r)
 * (at most i), then distinct dependencies floor(i r) by rejection, sorted.
 */
export function randomDagDeps(n: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const deps: number[][] = new Array(n);
  const picked = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      deps[i] = [];
      continue;
    }
    const k = Math.min(i, 1 + Math.floor(random() * 3));
    picked.clear();
    while (picked.size < k) picked.add(Math.floor(random() * i));
    deps[i] = [...picked].sort((a, b) => a - b);
  }
  return deps;
}

/** A W3-shaped workload generated in memory, with its stats computed. */
export function randomDag(n: number, seed: number): Workload {
  const deps = randomDagDeps(n, seed);
  return { name: `w3_random_${n}`, seed, n, deps, stats: workloadStats(deps) };
}

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
