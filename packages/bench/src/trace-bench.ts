import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskGraph, TraceDocument } from '@taskgraph/core';
import { TaskGraph as Graph, saveTrace } from '@taskgraph/core';
import { now } from './engine.js';
import { benchRegistry, graphOutputs, runOptions, runOurs, taskId } from './engine-ours.js';
import { medians, repeat } from './measure.js';
import { minimalTraceText } from './minimal-trace.js';
import type { Workload } from './workload.js';
import { checkOutputs, MODULUS } from './workload.js';

/**
 * W8: mode `save` runs, then writes the trace with `saveTrace` (timed apart); mode `trace` runs with the
 * `trace` run option, which keeps the file current while the run goes on (a fresh file for every run, so
 * nothing is resumed). Also the trace's size against a minimal `{id, deps, output}` one.
 */
export async function measurePersist(
  workload: Workload,
  options: { runs: number; dir: string; mode: 'save' | 'trace' },
) {
  const path = join(options.dir, `${workload.name}.${options.mode}.trace.json`);
  const samples = await repeat(
    async () => {
      let graph: TaskGraph | undefined;
      if (options.mode === 'trace') {
        await rm(path, { force: true });
        await rm(`${path}.journal`, { force: true });
      }
      const run = await runOurs(workload, options.mode === 'trace' ? { trace: path } : {}, (g) => {
        graph = g;
      });
      checkOutputs('ours', workload, run.outputs);
      const start = now();
      if (options.mode === 'save') await saveTrace(graph as TaskGraph, path);
      const saveMs = now() - start;
      return { buildMs: run.buildMs, runMs: run.runMs, saveMs, runAndSaveMs: run.runMs + saveMs };
    },
    { runs: options.runs },
  );
  const text = await readFile(path, 'utf8');
  const minimal = minimalTraceText(workload.deps, (await runOurs(workload)).outputs);
  return {
    runs: samples.length,
    ...medians(samples),
    path,
    traceBytes: Buffer.byteLength(text),
    compactTraceBytes: Buffer.byteLength(JSON.stringify(JSON.parse(text))),
    minimalBytes: Buffer.byteLength(minimal),
  };
}

/** One replay of a trace text: parse, load (validate and rebuild), run; counts function calls. */
export async function replayOnce(workload: Workload, text: string) {
  let calls = 0;
  const registry = benchRegistry(() => {
    calls++;
  });
  const start = now();
  const document: unknown = JSON.parse(text);
  const parsed = now();
  const graph = Graph.fromJSON(document);
  const loaded = now();
  await graph.run(registry, runOptions());
  const ran = now();
  checkOutputs('ours (replay)', workload, graphOutputs(graph, workload.n));
  return {
    parseMs: parsed - start,
    loadMs: loaded - parsed,
    runMs: ran - loaded,
    replayMs: ran - start,
    calls,
  };
}

/** W6: replays of an unchanged trace against `JSON.parse` of the same text. */
export async function measureReplay(workload: Workload, text: string, options: { runs: number }) {
  const replays = await repeat(() => replayOnce(workload, text), options);
  const parses = await repeat(
    async () => {
      const start = now();
      JSON.parse(text);
      return { jsonParseMs: now() - start };
    },
    { runs: Math.max(options.runs, 5) },
  );
  return {
    runs: replays.length,
    ...medians(replays),
    calls: Math.max(...replays.map((r) => r.calls)),
    jsonParseMs: medians(parses).jsonParseMs,
  };
}

/** The trace text with the output of node `index` changed, as a user would edit the file; returns the new value. */
export function editOutput(text: string, index: number): { document: TraceDocument; value: number } {
  const document = JSON.parse(text) as TraceDocument;
  const record = document.graph.tasks.find((task) => task.id === taskId(index));
  if (!record || typeof record.output !== 'number') {
    throw new Error(`editOutput: the trace has no numeric output for task "${taskId(index)}".`);
  }
  const value = (record.output + 1) % MODULUS;
  record.output = value;
  return { document, value };
}
