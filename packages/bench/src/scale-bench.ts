import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskGraph } from '@taskgraph/core';
import { loadTrace, saveTrace } from '@taskgraph/core';
import { now } from './engine.js';
import { benchRegistry, graphOutputs, runOptions, runOurs } from './engine-ours.js';
import { collectGarbage, heapUsedMb, medians, peakRssMb } from './measure.js';
import type { Workload } from './workload.js';
import { checkOutputs } from './workload.js';

/** What one pass at scale measured: times in ms, sizes in bytes and MB. */
export interface ScaleSample {
  buildMs: number;
  runMs: number;
  /** Heap held by the finished graph (heap after the run minus before the build), MB. */
  graphHeapMb: number;
  saveMs: number;
  traceBytes: number;
  /** loadTrace: the file streamed, each task validated and added as its line is read. */
  loadMs: number;
  replayRunMs: number;
  replayMs: number;
  calls: number;
}

/** Told after each stage of each pass, so that a pass that dies part-way still reports how far it got. */
export type StageListener = (stage: string, sample: Partial<ScaleSample>, peakRssMb: number) => void;

/**
 * W3's shape at scale for our engine, `runs` passes of: build and run, save the trace (streamed), replay
 * it (loadTrace, streamed, then run with zero calls). The first pass is not a warm-up: at a million tasks one pass is
 * what there is time for; warm up beforehand on a smaller graph.
 */
export async function measureScale(
  workload: Workload,
  options: { runs: number; dir: string; onStage?: StageListener },
) {
  const path = join(options.dir, `${workload.name}.scale.trace.json`);
  const samples: ScaleSample[] = [];
  const told = (stage: string, sample: Partial<ScaleSample>) => options.onStage?.(stage, sample, peakRssMb());
  for (let pass = 0; pass < options.runs; pass++) {
    const sample: Partial<ScaleSample> = {};
    const before = heapUsedMb();
    let graph: TaskGraph | undefined;
    const run = await runOurs(workload, {}, (g) => {
      graph = g;
    });
    checkOutputs('ours', workload, run.outputs);
    Object.assign(sample, { buildMs: run.buildMs, runMs: run.runMs, graphHeapMb: heapUsedMb() - before });
    told('run', sample);
    const start = now();
    await saveTrace(graph as TaskGraph, path);
    sample.saveMs = now() - start;
    graph = undefined;
    told('save', sample);
    sample.traceBytes = (await stat(path)).size;
    collectGarbage();
    const replay = await replayFile(workload, path);
    Object.assign(sample, {
      loadMs: replay.loadMs,
      replayRunMs: replay.runMs,
      replayMs: replay.replayMs,
      calls: replay.calls,
    });
    told('replay', sample);
    samples.push(sample as ScaleSample);
  }
  await rm(path, { force: true });
  return { runs: samples.length, ...medians(samples) };
}

/** One replay of a trace file: loadTrace (streamed), then run; counts function calls. */
async function replayFile(workload: Workload, path: string) {
  let calls = 0;
  const registry = benchRegistry(() => {
    calls++;
  });
  const start = now();
  const graph = await loadTrace(path);
  const loaded = now();
  await graph.run(registry, runOptions());
  const ran = now();
  checkOutputs('ours (replay)', workload, graphOutputs(graph, workload.n));
  return { loadMs: loaded - start, runMs: ran - loaded, replayMs: ran - start, calls };
}
