import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FunctionRegistry, loadTrace, saveTrace, TaskGraph } from '@taskgraph/core';
import { cpuNow, now } from './engine.js';
import { medians, repeat } from './measure.js';

/** The two shapes compared: tasks added while running, one generation at a time, and the same chain built up front. */
export type ChainShape = 'created' | 'flat';

/** One pass over a chain: run, save, load, replay (times in ms), the trace's size and the replay's calls. */
export interface ChainSample {
  /** Build (flat) and run; a created chain builds itself while it runs. */
  runMs: number;
  runCpuMs: number;
  saveMs: number;
  traceBytes: number;
  loadMs: number;
  replayMs: number;
  calls: number;
  /** The longest task id, in characters. */
  longestId: number;
}

/**
 * The registry of both shapes: `gen` returns its predecessor's output plus one and, while `args.left` is
 * above 1, adds its successor through `ctx.addFunction` (always under the name "next"); `step` is the
 * same function for a chain built before the run. `onCall` counts calls (replays).
 */
function chainRegistry(onCall?: () => void): FunctionRegistry {
  const registry = new FunctionRegistry();
  registry.register('gen', (ctx, previous?: number) => {
    onCall?.();
    const left = (ctx.args as { left: number }).left;
    if (left > 1) ctx.addFunction({ id: 'next', fn: 'gen', deps: [ctx.taskId], args: { left: left - 1 } });
    return (previous ?? 0) + 1;
  });
  registry.register('step', (_ctx, previous?: number) => {
    onCall?.();
    return (previous ?? 0) + 1;
  });
  return registry;
}

function buildChain(shape: ChainShape, n: number): TaskGraph {
  const graph = new TaskGraph();
  if (shape === 'created') {
    graph.addFunction({ id: 'start', fn: 'gen', args: { left: n } });
    return graph;
  }
  for (let i = 0; i < n; i++) {
    const deps: string[] = i === 0 ? [] : [`t${i - 1}`];
    graph.addFunction({ id: `t${i}`, fn: 'step', deps, args: { left: n - i } });
  }
  return graph;
}

/** Checks that the chain ran to its end: n tasks, the last one's output n. */
function checkChain(graph: TaskGraph, n: number): void {
  let last = 0;
  for (const task of graph.tasks()) last = Math.max(last, Number(task.output?.value ?? 0));
  if (graph.size !== n || last !== n)
    throw new Error(`chain: ${graph.size} tasks, last output ${last}, not ${n}`);
}

/**
 * A chain of `n` generations under the default run options, `runs` passes of: build and run, save the
 * trace, load it, replay it (zero calls expected). With n = 100,000 each pass takes seconds: no warm-up
 * past the first pass of a 1,000-task chain.
 */
export async function measureChain(shape: ChainShape, n: number, options: { runs: number; dir: string }) {
  const path = join(options.dir, `chain-${shape}-${n}.trace.json`);
  const pass = async (size: number): Promise<ChainSample> => {
    const registry = chainRegistry();
    const cpu = cpuNow();
    const started = now();
    const graph = buildChain(shape, size);
    await graph.run(registry);
    const runMs = now() - started;
    const runCpuMs = cpuNow() - cpu;
    checkChain(graph, size);
    let longestId = 0;
    for (const task of graph.tasks()) longestId = Math.max(longestId, task.id.length);
    const saveStart = now();
    await saveTrace(graph, path);
    const saveMs = now() - saveStart;
    const traceBytes = (await stat(path)).size;
    let calls = 0;
    const counting = chainRegistry(() => {
      calls++;
    });
    const loadStart = now();
    const loaded = await loadTrace(path);
    const loadMs = now() - loadStart;
    const replayStart = now();
    await loaded.run(counting);
    const replayMs = now() - replayStart;
    checkChain(loaded, size);
    return { runMs, runCpuMs, saveMs, traceBytes, loadMs, replayMs, calls, longestId };
  };
  const samples = await repeat(() => pass(n), { runs: options.runs, warmup: () => pass(1_000) });
  await rm(path, { force: true });
  return { runs: samples.length, n, ...medians(samples) };
}
