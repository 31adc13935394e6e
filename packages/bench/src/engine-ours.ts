import { setTimeout as sleep } from 'node:timers/promises';
import type { RunOptions } from '@taskgraph/core';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import type { Engine, EngineOptions, EngineRun } from './engine.js';
import { cpuNow, now } from './engine.js';
import { collectGarbage } from './measure.js';
import { nodeStep } from './node-step.js';
import type { Workload } from './workload.js';

/** The id of node i in our graphs and traces. */
export function taskId(i: number): string {
  return `t${i}`;
}

/**
 * The registry of our engine: `sum` for compute nodes, `sleep-sum` for nodes that sleep `ctx.args` ms.
 * `onCall` (replays) is told the id of every task whose function is called.
 */
export function benchRegistry(onCall?: (taskId: string) => void): FunctionRegistry {
  const registry = new FunctionRegistry();
  if (onCall) {
    registry.register('sum', (ctx, ...deps: number[]) => {
      onCall(ctx.taskId);
      return nodeStep(deps);
    });
  } else {
    registry.register('sum', (_ctx, ...deps: number[]) => nodeStep(deps));
  }
  registry.register('sleep-sum', async (ctx, ...deps: number[]) => {
    onCall?.(ctx.taskId);
    await sleep(typeof ctx.args === 'number' ? ctx.args : 0);
    return nodeStep(deps);
  });
  return registry;
}

/** A TaskGraph of FunctionTasks with the workload's nodes and edges; the last node is the output. */
export function buildGraph(workload: Workload): TaskGraph {
  const graph = new TaskGraph();
  const { deps, latencyMs } = workload;
  for (let i = 0; i < workload.n; i++) {
    const depIds = (deps[i] as number[]).map(taskId);
    if (latencyMs)
      graph.addFunction({ id: taskId(i), fn: 'sleep-sum', deps: depIds, args: latencyMs[i] ?? 0 });
    else graph.addFunction({ id: taskId(i), fn: 'sum', deps: depIds });
  }
  graph.setOutput(taskId(workload.n - 1));
  return graph;
}

/** Every node's output as the graph holds it. */
export function graphOutputs(graph: TaskGraph, n: number): Float64Array {
  const outputs = new Float64Array(n);
  for (let i = 0; i < n; i++) outputs[i] = graph.task(taskId(i))?.output?.value as number;
  return outputs;
}

/** Options of our engine's runs: a trace path persists the run while it goes on (W8). */
export interface OursOptions extends EngineOptions {
  trace?: string;
}

/** The run options of our engine: no task limit, `concurrency` when the workload has a limit. */
export function runOptions(options: OursOptions = {}): RunOptions {
  const run: RunOptions = { maxTasks: Number.POSITIVE_INFINITY };
  if (options.limit !== undefined) run.concurrency = options.limit;
  if (options.trace !== undefined) run.trace = options.trace;
  return run;
}

/** Runs a workload on a fresh graph; `keep` receives the graph afterwards (to save its trace). */
export async function runOurs(
  workload: Workload,
  options: OursOptions = {},
  keep?: (graph: TaskGraph) => void,
): Promise<EngineRun> {
  const start = now();
  const registry = benchRegistry();
  const graph = buildGraph(workload);
  const built = now();
  // The graph the build made is settled in the old generation before the run is timed (method-notes.ts).
  collectGarbage();
  const running = now();
  const cpu = cpuNow();
  await graph.run(registry, runOptions(options));
  const cpuMs = cpuNow() - cpu;
  const ran = now();
  keep?.(graph);
  return { buildMs: built - start, runMs: ran - running, cpuMs, outputs: graphOutputs(graph, workload.n) };
}

export const ours: Engine = {
  id: 'ours',
  label: 'taskgraph (ours)',
  run: (workload, options) => runOurs(workload, options),
};
