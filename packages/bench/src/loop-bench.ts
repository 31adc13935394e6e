import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FunctionRegistry } from '@taskgraph/core';
import { AgentLoop, functionResponder } from '@taskgraph/patterns';
import { cpuNow, now } from './engine.js';
import { medians, repeat } from './measure.js';
import { saveLoadReplay } from './save-load-replay.js';

/**
 * An agent loop of `turns` turns with one scripted function responder that answers every message with a
 * new text (so loop detection never ends it), run with a fixed turn count. `onCall` counts its calls.
 */
function scriptedLoop(turns: number, onCall?: () => void): AgentLoop {
  return new AgentLoop({
    name: 'chat',
    turns,
    responders: [
      functionResponder({
        name: 'agent',
        answersOwnMessages: true,
        respond: (_message, info) => {
          onCall?.();
          return `answer ${info.turn}`;
        },
      }),
    ],
  });
}

/**
 * `runs` passes of: run the loop for `turns` turns, save its trace, load it and replay it with zero
 * calls. Reports per-turn figures' inputs: times in ms, the trace's bytes, the calls of the replay.
 */
export async function measureLoop(turns: number, options: { runs: number; dir: string }) {
  const path = join(options.dir, `loop-${turns}.trace.json`);
  const pass = async (count: number) => {
    const loop = scriptedLoop(count);
    const cpu = cpuNow();
    const started = now();
    const result = await loop.run(new FunctionRegistry(), 'start');
    const runMs = now() - started;
    const runCpuMs = cpuNow() - cpu;
    if (result.turns !== count)
      throw new Error(`loop: ${result.turns} turns, not ${count} (${result.status})`);
    let calls = 0;
    const replayLoop = scriptedLoop(count, () => {
      calls++;
    });
    const { saveMs, traceBytes, loadMs, replayMs } = await saveLoadReplay(result.graph, path, (loaded) =>
      loaded.run(replayLoop.register(new FunctionRegistry())),
    );
    return { runMs, runCpuMs, saveMs, traceBytes, loadMs, replayMs, calls, tasks: result.graph.size };
  };
  const samples = await repeat(() => pass(turns), { runs: options.runs, warmup: () => pass(10) });
  await rm(path, { force: true });
  return { runs: samples.length, turns, ...medians(samples) };
}
