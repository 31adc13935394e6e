import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Engine, EngineOptions, EngineRun } from './engine.js';
import { cpuNow, now } from './engine.js';
import type { Workload } from './workload.js';
import { MODULUS } from './workload.js';

/**
 * The hand-written baseline: each node an async function awaiting its dependencies' promises. With a
 * limit, a node takes one of p-limit's slots once its dependencies are done, for its sleep and step.
 */
async function runBaseline(workload: Workload, options: EngineOptions = {}): Promise<EngineRun> {
  const { deps, latencyMs, n } = workload;
  const start = now();
  const cpu = cpuNow();
  const promises: Promise<number>[] = new Array(n);
  const limit = options.limit === undefined ? undefined : pLimit(options.limit);
  const step = async (list: readonly number[]): Promise<number> => {
    let sum = 0;
    for (const dep of list) sum += await (promises[dep] as Promise<number>);
    return (sum + 1) % MODULUS;
  };
  const sleepStep = async (list: readonly number[], ms: number): Promise<number> => {
    let sum = 0;
    for (const dep of list) sum += await (promises[dep] as Promise<number>);
    const work = async () => {
      await sleep(ms);
      return (sum + 1) % MODULUS;
    };
    return limit ? limit(work) : work();
  };
  for (let i = 0; i < n; i++) {
    const list = deps[i] as number[];
    promises[i] = latencyMs ? sleepStep(list, latencyMs[i] ?? 0) : step(list);
  }
  const outputs = await allOf(promises);
  const cpuMs = cpuNow() - cpu;
  return { buildMs: 0, runMs: now() - start, cpuMs, outputs };
}

/** Promise.all refuses more than about 2^21 promises: past a million, they are awaited a million at a time. */
async function allOf(promises: Promise<number>[]): Promise<number[]> {
  const chunk = 1_000_000;
  if (promises.length <= chunk) return Promise.all(promises);
  const outputs: number[] = [];
  for (let from = 0; from < promises.length; from += chunk) {
    for (const value of await Promise.all(promises.slice(from, from + chunk))) outputs.push(value);
  }
  return outputs;
}

export const baseline: Engine = { id: 'baseline', label: 'hand-written baseline', run: runBaseline };
