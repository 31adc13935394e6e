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
