import type { Engine } from './engine.js';
import { medians, repeat } from './measure.js';
import type { Workload } from './workload.js';
import { checkOutputs } from './workload.js';

export interface EngineBenchOptions {
  runs: number;
  /** Most tasks at once (W5). */
  limit?: number;
  /** Warm up on this workload instead of the measured one (a smaller graph of the same shape, for slow engines). */
  warmup?: Workload;
  /** Sample for at least this long (see RepeatOptions.minMs). */
  minMs?: number;
}

export interface EngineMeasurement {
  runs: number;
  /** Medians over the runs, in ms. */
  buildMs: number;
  runMs: number;
  cpuMs: number;
  /** Every run's time, in ms. */
  runSamples: number[];
}

/** Times an engine on a workload: a warm-up, then `runs` runs, each checked against the workload's stats. */
export async function measureEngine(
  engine: Engine,
  workload: Workload,
  options: EngineBenchOptions,
): Promise<EngineMeasurement> {
  const engineOptions = options.limit === undefined ? {} : { limit: options.limit };
  const once = async (target: Workload) => {
    const run = await engine.run(target, engineOptions);
    checkOutputs(engine.id, target, run.outputs);
    return { buildMs: run.buildMs, runMs: run.runMs, cpuMs: run.cpuMs };
  };
  const { warmup } = options;
  const samples = await repeat(() => once(workload), {
    runs: options.runs,
    ...(warmup ? { warmup: () => once(warmup) } : {}),
    ...(options.minMs === undefined ? {} : { minMs: options.minMs }),
  });
  const middle = medians(samples);
  return {
    runs: samples.length,
    buildMs: middle.buildMs,
    runMs: middle.runMs,
    cpuMs: middle.cpuMs,
    runSamples: samples.map((sample) => sample.runMs),
  };
}
