import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FunctionRegistry } from '@taskgraph/core';
import type { Planner } from '@taskgraph/patterns';
import { createPlanner, defineTool } from '@taskgraph/patterns';
import { z } from 'zod';
import { cpuNow, now } from './engine.js';
import { medians, repeat } from './measure.js';
import { saveLoadReplay } from './save-load-replay.js';

/**
 * A planner whose tasks are tool calls and whose refine is a function: after task i it adds task i + 1
 * (a new text, so the no-repeat rule keeps none out) until `tasks` have run, then completes the goal.
 * No LLM call; `onCall` counts the tool's and the refine's calls.
 */
function scriptedPlanner(
  tasks: number,
  onCall?: () => void,
): { planner: Planner; registry: FunctionRegistry } {
  const registry = new FunctionRegistry();
  const work = defineTool({
    name: 'work',
    description: 'does task i',
    parameters: z.object({ i: z.number() }),
    run: ({ i }) => {
      onCall?.();
      return `result ${i}`;
    },
  });
  const planner = createPlanner(registry, {
    tools: [work],
    refine: ({ task }) => {
      onCall?.();
      const i = (task.input as { i: number }).i;
      return i >= tasks ? { goalComplete: true } : { addTasks: [taskOf(i + 1)] };
    },
  });
  return { planner, registry };
}

const taskOf = (i: number) => ({ task: `task ${i}`, tool: 'work', input: { i } });

/** The input of a run of `tasks` tasks: one step per task, and the no-repeat rule on. */
function input(tasks: number) {
  return {
    goal: `${tasks} tasks`,
    tasks: [taskOf(1)],
    maxTasks: tasks,
    maxSteps: tasks + 1,
    allowRepeatTasks: false,
  };
}

/**
 * `runs` passes of: run the planner for `steps` steps, save its trace, load it and replay it with zero
 * calls. Reports per-step figures' inputs: times in ms, the trace's bytes, the calls of the replay.
 */
export async function measurePlanner(steps: number, options: { runs: number; dir: string }) {
  const path = join(options.dir, `planner-${steps}.trace.json`);
  const pass = async (count: number) => {
    const { planner } = scriptedPlanner(count);
    const cpu = cpuNow();
    const started = now();
    const { result, graph } = await planner.run(input(count));
    const runMs = now() - started;
    const runCpuMs = cpuNow() - cpu;
    if (result.status !== 'complete' || result.steps !== count + 1 || result.completedTasks.length !== count)
      throw new Error(`planner: ${result.steps} steps, ${result.status}, not ${count} tasks complete`);
    let calls = 0;
    const replay = scriptedPlanner(count, () => {
      calls++;
    });
    const { saveMs, traceBytes, loadMs, replayMs, loaded } = await saveLoadReplay(graph, path, (trace) =>
      trace.run(replay.registry),
    );
    if (replay.planner.result(loaded)?.completedTasks.length !== count)
      throw new Error('planner: the replay lost completed tasks');
    return { runMs, runCpuMs, saveMs, traceBytes, loadMs, replayMs, calls, tasks: graph.size };
  };
  const samples = await repeat(() => pass(steps), { runs: options.runs, warmup: () => pass(10) });
  await rm(path, { force: true });
  return { runs: samples.length, steps, ...medians(samples) };
}
