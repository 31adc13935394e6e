import type { Workload } from './workload.js';

export type EngineId = 'ours' | 'baseline' | 'langgraph';

export interface EngineOptions {
  /** Most tasks running at once (W5); unlimited when absent. */
  limit?: number;
}

/** One run of a workload: build time and run time apart, and every node's output to check. */
export interface EngineRun {
  buildMs: number;
  runMs: number;
  /** CPU time of the process during the run (all its threads, garbage collection included). */
  cpuMs: number;
  outputs: ArrayLike<number>;
}

/** An engine runs a workload: node i computes `(sum of dep outputs + 1) mod MODULUS`, after sleeping `latencyMs[i]` if given. */
export interface Engine {
  readonly id: EngineId;
  readonly label: string;
  run(workload: Workload, options?: EngineOptions): Promise<EngineRun>;
}

/** Milliseconds, for timing around one phase. */
export function now(): number {
  return performance.now();
}

/** CPU milliseconds this process has used (user and system): less disturbed than wall time by other processes. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
