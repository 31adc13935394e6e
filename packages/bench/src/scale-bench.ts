import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskGraph } from '@taskgraph/core';
import { saveTrace } from '@taskgraph/core';
import { now } from './engine.js';
import { runOurs } from './engine-ours.js';
import { collectGarbage, heapUsedMb, medians, peakRssMb } from './measure.js';
import { replayOnce } from './trace-bench.js';
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
  parseMs: number;
  loadMs: number;
  replayRunMs: number;
  replayMs: number;
  calls: number;
}

/** Told after each stage of each pass, so that a pass that dies part-way still reports how far it got. */
export type StageListener = (stage: string, sample: Partial<ScaleSample>, peakRssMb: number) => void;

/**
 * W3's shape at scale for our engine, `runs` passes of: build and run, save the trace, replay it
 * (parse, load, run with zero calls). The first pass is not a warm-up: at a million tasks one pass is
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
    const text = await readFile(path, 'utf8');
    sample.traceBytes = Buffer.byteLength(text);
    collectGarbage();
    const replay = await replayOnce(workload, text);
    Object.assign(sample, {
      parseMs: replay.parseMs,
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
