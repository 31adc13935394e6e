import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { describe, expect, it, vi } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { DETECTOR_SLACK } from './loop-detector.js';
import type { LoopNodeOutput } from './loop-state.js';
import { functionResponder } from './responders.js';

/** A loop whose one responder answers every message with a new text naming how much history it saw. */
function counting(name: string, turns: number, loop: typeof AgentLoop = AgentLoop, reads = true) {
  const respond = functionResponder({
    name: 'agent',
    answersOwnMessages: true,
    respond: (message, info) =>
      reads ? `saw ${info.history.length} after ${message.content}` : `answer ${info.turn}`,
  });
  return new loop({ name, turns, responders: [respond] });
}

const stepOutput = (graph: TaskGraph, turn: number) =>
  graph.task(`long/turn-${turn}@${turn}`)?.output?.value as LoopNodeOutput;

describe('a long conversation', () => {
  it('each step stores the same bytes at turn 100 as at turn 290; the result holds the whole conversation', async () => {
    const run = await counting('long', 300, AgentLoop, false).run(new FunctionRegistry(), 'start');
    expect([run.status, run.turns]).toEqual(['FIXED_TURNS', 300]);
    const size = (turn: number) => JSON.stringify(stepOutput(run.graph, turn)).length;
    // Only the digits of the turn numbers differ (turn, ids, the message text).
    expect(Math.abs(size(290) - size(100))).toBeLessThan(40);
    expect(stepOutput(run.graph, 290).state.added.map((m) => m.content)).toEqual(['answer 290']);
    expect(stepOutput(run.graph, 290).state.log.length).toBe(290);
    const { history } = run.state;
    expect(history).toHaveLength(301);
    expect(history.slice(-2).map((m) => [m.id, m.content, m.parentId, m.childId])).toEqual([
      ['m299', 'answer 299', 'm298', 'm300'],
      ['m300', 'answer 300', 'm299', undefined],
    ]);
  });

  it('keeps the loop detector bounded: the most frequent fingerprints, with the exact total', async () => {
    const run = await counting('long', 300, AgentLoop, false).run(new FunctionRegistry(), 'start');
    const { detector, limits } = stepOutput(run.graph, 300).state;
    expect(Object.keys(detector.counts)).toHaveLength(limits.cycleLen + 1 + DETECTOR_SLACK);
    expect([detector.total, detector.distinct, detector.recent.length]).toEqual([300, 300, 50]);
  });

  it('a responder that reads the history sees every message committed before its turn', async () => {
    const run = await counting('long', 40).run(new FunctionRegistry(), 'start');
    expect(run.content).toBe(`saw 40 after ${run.state.history[39]?.content}`);
  });

  it('a graph loaded in another process replays an edit: the registry indexes it as it starts', async () => {
    const run = await counting('long', 12).run(new FunctionRegistry(), 'start');
    const saved = JSON.parse(JSON.stringify(run.graph.toJSON()));
    const attempt = saved.graph.tasks.find((task: { id: string }) => task.id === 'long/turn-5.agent@5');
    attempt.output.reply = 'edited';

    // Fresh modules: nothing of the first run's conversation is known to them, as in a new process.
    vi.resetModules();
    const fresh = await import('./index.js');
    const loop = counting('long', 12, fresh.AgentLoop);
    const registry = loop.register(new FunctionRegistry());
    const graph = TaskGraph.fromJSON(structuredClone(saved));
    await graph.run(registry);
    const end = fresh.findLoopEnd(graph, 'long', 'long');
    expect(end?.output.state.history.slice(5, 8).map((m) => m.content)).toEqual([
      'edited',
      'saw 6 after edited',
      'saw 7 after saw 6 after edited',
    ]);
  });

  it('a step whose stored log was edited fails the run with UNKNOWN_CONVERSATION naming the task', async () => {
    const run = await counting('long', 12).run(new FunctionRegistry(), 'start');
    const saved = JSON.parse(JSON.stringify(run.graph.toJSON()));
    const step = saved.graph.tasks.find((task: { id: string }) => task.id === 'long/turn-5@5');
    step.output.state.log.hash = 'edited';

    vi.resetModules();
    const fresh = await import('./index.js');
    const registry = counting('long', 12, fresh.AgentLoop).register(new FunctionRegistry());
    const error = await TaskGraph.fromJSON(saved)
      .run(registry)
      .catch((e: unknown) => e);
    const failures = (error as { failures?: Array<{ taskPath: string[]; error: { code?: string } }> })
      .failures;
    expect(failures?.map((failure) => [failure.taskPath, failure.error.code])).toEqual([
      [['long/turn-6.agent@6'], 'UNKNOWN_CONVERSATION'],
    ]);
  });

  it('AgentLoop.run resuming an edited trace file in another process reads the reused turns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'long-conversation-'));
    const path = join(dir, 'loop.json');
    try {
      await counting('long', 12).run(new FunctionRegistry(), 'start', { trace: path });
      const saved = JSON.parse(await readFile(path, 'utf8'));
      const attempt = saved.graph.tasks.find((task: { id: string }) => task.id === 'long/turn-5.agent@5');
      attempt.output.reply = 'edited';
      await writeFile(path, JSON.stringify(saved));

      vi.resetModules();
      const fresh = await import('./index.js');
      const run = await counting('long', 12, fresh.AgentLoop).run(new FunctionRegistry(), 'start', {
        trace: path,
      });
      expect(run.state.history.slice(5, 7).map((m) => m.content)).toEqual(['edited', 'saw 6 after edited']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
