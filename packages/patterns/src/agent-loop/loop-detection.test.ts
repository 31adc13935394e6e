import { TaskGraph } from '@taskgraph/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { InfiniteLoopError } from './errors.js';
import type { LoopDetection } from './loop-definition.js';
import { maybeInfiniteLoop, messageFingerprint } from './loop-detector.js';
import type { LoopMessage } from './loop-message.js';
import { findLoopEnd } from './loop-result.js';
import type { LoopNodeOutput } from './loop-state.js';
import { humanResponder, llmResponder } from './responders.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Responders that pass the word around a ring of `length`: the committed messages cycle with that length. */
function ring(length: number) {
  if (length === 1) return [scripted('p0', ['same'], { answersOwnMessages: true })];
  return Array.from({ length }, (_, i) => {
    const before = i === 0 ? [`p${length - 1}`, 'input'] : [`p${i - 1}`];
    return scripted(`p${i}`, [`message ${i}`], { canRespond: (m) => before.includes(m.sender) });
  });
}

async function runRing(name: string, length: number, detection: Partial<LoopDetection>, turns = 60) {
  const loop = new AgentLoop({ name, responders: ring(length), loopDetection: detection, turns });
  return loop.run(plainRegistry(), 'start');
}

function call(id: string, args: string) {
  return { id, type: 'function' as const, function: { name: 'search', arguments: args } };
}

describe('loop detection', () => {
  it('R3-17 a cycle of 3 under cycleLen 8 is detected', async () => {
    const run = await runRing('r317-3in8', 3, { cycleLen: 8 });
    expect([run.status, run.turns, run.result]).toEqual(['INF_LOOP', 40, null]);
  });

  it('R3-17 a cycle of 5 under cycleLen 3 is not detected', async () => {
    const run = await runRing('r317-5in3', 5, { cycleLen: 3 });
    expect([run.status, run.turns]).toEqual(['FIXED_TURNS', 60]);
  });

  it('R3-17 a cycle of 1 is detected', async () => {
    const run = await runRing('r317-1', 1, {});
    expect([run.status, run.turns]).toEqual(['INF_LOOP', 50]);
  });

  it('R3-17 cycleLen 0 never detects a cycle', async () => {
    const run = await runRing('r317-off', 1, { cycleLen: 0 });
    expect([run.status, run.turns]).toEqual(['FIXED_TURNS', 60]);
  });

  it('R3-17 the fingerprint covers tool-call arguments (parsed), not call ids', () => {
    const base: LoopMessage = { id: 'm1', sender: 'llm', entity: 'llm', content: null };
    const a = messageFingerprint({ ...base, toolCalls: [call('c1', '{"q":"cats","n":1}')] });
    const sameArgs = messageFingerprint({
      ...base,
      id: 'm7',
      toolCalls: [call('c9', '{"n":1, "q":"cats"}')],
    });
    const otherArgs = messageFingerprint({ ...base, toolCalls: [call('c1', '{"q":"dogs","n":1}')] });
    expect(a).toBe(sameArgs);
    expect(a).not.toBe(otherArgs);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['different arguments each call', true, 'FIXED_TURNS', 20],
    // Two messages and langroid's dummy: dominant once their counts exceed the dummy's by more than 5.
    ['the same arguments each call', false, 'INF_LOOP', 14],
  ])('R3-17 an LLM calling a tool with %s (through HTTP)', async (_label, vary, status, turns) => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.setDefaultReply((request) => ({
      toolCalls: [{ name: 'search', arguments: { q: vary ? `query ${request.index}` : 'query' } }],
    }));
    const search = scripted(
      'search',
      (_n, message) => ({
        content: 'no results',
        toolResults: (message.toolCalls ?? []).map((c) => ({ toolCallId: c.id, content: 'no results' })),
      }),
      { tools: ['search'] },
    );
    const loop = new AgentLoop({
      name: `r317-tools-${vary}`,
      responders: [llmResponder(), search],
      loopDetection: { cycleLen: 2 },
      turns: 20,
    });
    const run = await loop.run(fx.registry, 'find something');
    expect([run.status, run.turns]).toEqual([status, turns]);
  });

  it('R3-18 DO-NOT-KNOW every other turn ends with INF_LOOP after 5 alternations', async () => {
    const asker = scripted('asker', ['question']);
    const unsure = scripted('unsure', ['DO-NOT-KNOW']);
    const run = await new AgentLoop({ name: 'r318', responders: [asker, unsure], turns: 44 }).run(
      plainRegistry(),
      'q',
    );
    expect([run.status, run.turns, run.state.detector.alternations]).toEqual(['INF_LOOP', 14, 6]);
  });

  it('R3-18 with cycleLen 0 and noAnswerLoopCheck false, 20 alternations do not end the run', async () => {
    const loop = new AgentLoop({
      name: 'r318-off',
      responders: [scripted('asker', ['question']), scripted('unsure', ['DO-NOT-KNOW'])],
      loopDetection: { cycleLen: 0, noAnswerLoopCheck: false },
      turns: 44,
    });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.turns]).toEqual(['FIXED_TURNS', 44]);
    expect(run.state.detector.alternations).toBeGreaterThanOrEqual(20);
  });

  it('R3-18 cycleLen 0 alone keeps the alternation check on (its own switch)', async () => {
    const loop = new AgentLoop({
      name: 'r318-own',
      responders: [scripted('asker', ['question']), scripted('unsure', ['DO-NOT-KNOW'])],
      loopDetection: { cycleLen: 0 },
      turns: 44,
    });
    expect((await loop.run(plainRegistry(), 'q')).status).toBe('INF_LOOP');
  });

  it('R3-19 the detection inputs are in the trace, and a replay ends with the same INF_LOOP at the same step', async () => {
    const responders = ring(3);
    const loop = new AgentLoop({ name: 'r319', responders, loopDetection: { cycleLen: 8 } });
    const run = await loop.run(plainRegistry(), 'start');
    const end = run.graph.toJSON().graph.tasks.find((task) => task.id === run.endTask)
      ?.output as LoopNodeOutput;
    expect(Object.values(end.state.detector.counts)).toEqual([14, 13, 13]);
    expect(end.state.detector.recent).toHaveLength(40);
    expect(end.record).toMatchObject({ turn: 40, status: 'INF_LOOP', loopCheck: { distinct: 3 } });
    const calls = responders.map((r) => r.calls.length);
    // The last step task runs again from the stored state before it, and decides the same.
    const replayed = TaskGraph.fromJSON(JSON.parse(JSON.stringify(run.graph.toJSON())));
    await replayed.run(plainRegistry().include(registryOf(loop)), { force: { tasks: [run.endTask] } });
    const again = findLoopEnd(replayed, 'r319', 'r319');
    expect([again?.taskId, again?.output.state.status, again?.output.state.turn]).toEqual([
      run.endTask,
      'INF_LOOP',
      40,
    ]);
    expect(responders.map((r) => r.calls.length)).toEqual(calls);
  });
});

function registryOf(loop: AgentLoop) {
  return loop.register(plainRegistry());
}

/**
 * langroid's own test, ported (tests/main/test_task_inf_loop.py, `test_task_inf_loop`): an interactive
 * loop where the LLM (through HTTP here) says `iter % cycle` after `loopStart` distinct openers, and the
 * human answers "ok" or copies the LLM's message. langroid raises InfiniteLoopException exactly when the
 * cycle is shorter than `inf_loop_cycle_len`, over 80 turns; otherwise the run ends with FIXED_TURNS.
 */
describe("R3-17: langroid's test_task_inf_loop", () => {
  let fx: Awaited<ReturnType<typeof llmFixture>>;
  let iter = 0;
  let cycle = 1;
  let loopStart = 0;
  beforeAll(async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply(() => {
      const param = iter < loopStart ? iter * 1000 + 100 : iter % cycle;
      iter += 1;
      return { content: String(param) };
    });
  });
  afterAll(() => fx.server.close());

  const grid = [
    [3, 8],
    [5, 3],
    [1000, 5],
    [1, 5],
    [3, 0],
  ] as const;
  const cases = grid.flatMap(([cycleLength, maxCycleLen]) =>
    [0, 6].flatMap((start) => [false, true].map((copy) => [cycleLength, maxCycleLen, start, copy] as const)),
  );

  it.each(cases)(
    'R3-17: a cycle of %i under cycleLen %i (loop start %i, human copies: %s) raises exactly when langroid does',
    async (cycleLength, maxCycleLen, start, copy) => {
      iter = 0;
      cycle = cycleLength;
      loopStart = start;
      const human = copy
        ? humanResponder({ ask: (message) => message.content })
        : humanResponder({ defaultReply: 'ok' });
      const loop = new AgentLoop({
        name: `r317-langroid-${cycleLength}-${maxCycleLen}-${start}-${copy}`,
        responders: [llmResponder(), human],
        interactive: true,
        loopDetection: { cycleLen: maxCycleLen },
        onInfiniteLoop: 'throw',
        turns: 80,
      });
      const outcome = await loop.run(fx.registry, 'start').catch((error: unknown) => error);
      if (cycleLength < maxCycleLen) {
        expect(outcome).toBeInstanceOf(InfiniteLoopError);
        expect((outcome as InfiniteLoopError).code).toBe('INFINITE_LOOP');
      } else {
        expect((outcome as { status: string }).status).toBe('FIXED_TURNS');
      }
    },
  );

  it('R3-17: with the human answering "ok" while the model cycles through three messages, the loop ends at the turn langroid raises', async () => {
    iter = 0;
    cycle = 3;
    loopStart = 0;
    const loop = new AgentLoop({
      name: 'r317-langroid-ok',
      responders: [llmResponder(), humanResponder({ defaultReply: 'ok' })],
      interactive: true,
      loopDetection: { cycleLen: 8 },
      turns: 80,
    });
    const run = await loop.run(fx.registry, 'start');
    // "ok" is counted 24 times, "0", "1", "2" 8 times each: only the drop from 8 to the dummy's 1
    // (more than 1.5 times and more than 5) makes the four of them the dominant set.
    expect([run.status, run.turns, run.result]).toEqual(['INF_LOOP', 48, null]);
    expect(Object.values(run.state.detector.counts).sort((a, b) => b - a)).toEqual([24, 8, 8, 8]);
    expect(maybeInfiniteLoop(run.state.detector, 8, 1.5, 5)).toBe(true);
  });
});
