import type { TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { InfiniteLoopError } from './errors.js';
import type { AgentLoopConfig } from './loop-config.js';
import type { LoopNodeOutput } from './loop-state.js';
import type { LoopStatus } from './loop-status.js';
import { LOOP_STATUSES } from './loop-status.js';
import { humanResponder, llmResponder } from './responders.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A registry with a test server whose model costs $0.01 per prompt token; each reply uses 100 tokens. */
async function pricedRegistry(replies: string[]) {
  const fx = await llmFixture({ prices: { 'test-model': { inputPerMillion: 10_000, outputPerMillion: 0 } } });
  servers.push(fx.server);
  fx.server.setDefaultReply(() => ({
    content: replies.shift() ?? 'more',
    usage: { promptTokens: 100, completionTokens: 0 },
  }));
  return fx.registry;
}

/** Step tasks that committed a turn. */
function committedSteps(graph: TaskGraph, loop: string): LoopNodeOutput[] {
  return [...graph.tasks()]
    .filter((task) => task.kind === 'function' && task.fn === `agent-loop/${loop}`)
    .map((task) => task.output?.value as LoopNodeOutput)
    .filter((output) => output.record.committed !== null);
}

const fixtures: Record<
  LoopStatus,
  () => Promise<{ config: Omit<AgentLoopConfig, 'name'>; registry?: unknown }>
> = {
  DONE: async () => ({ config: { responders: [scripted('a', ['all DONE'])] } }),
  USER_QUIT: async () => ({
    config: { responders: [scripted('a', ['hi']), humanResponder({ defaultReply: 'q' })], interactive: true },
  }),
  FIXED_TURNS: async () => ({
    config: { responders: [scripted('a', ['x'], { answersOwnMessages: true })], turns: 2 },
  }),
  MAX_TURNS: async () => ({
    config: { responders: [scripted('a', ['x'], { answersOwnMessages: true })], maxTurns: 2 },
  }),
  STALLED: async () => ({ config: { responders: [scripted('a', ['x'])], maxStalledSteps: 2 } }),
  MAX_COST: async () => ({
    config: { responders: [llmResponder(), scripted('a', ['y'])], budget: { maxCostUsd: 1.5 } },
    registry: await pricedRegistry([]),
  }),
  MAX_TOKENS: async () => ({
    config: { responders: [llmResponder(), scripted('a', ['y'])], budget: { maxTokens: 150 } },
    registry: await pricedRegistry([]),
  }),
  KILL: async () => ({ config: { responders: [scripted('a', ['x'])], session: `kill-${Math.random()}` } }),
  INF_LOOP: async () => ({
    config: {
      responders: [scripted('a', ['same'], { answersOwnMessages: true })],
      loopDetection: { cycleLen: 1 },
    },
  }),
  ERROR: async () => ({
    config: {
      responders: [
        scripted('a', () => {
          throw new Error('the tool is down');
        }),
      ],
    },
  }),
};

describe('termination', () => {
  it.each(LOOP_STATUSES)(
    'R3-5 status %s is reached by its fixture and written into the trace',
    async (status) => {
      const { config, registry } = await fixtures[status]();
      const loop = new AgentLoop({ name: `r35-${status.toLowerCase()}`, ...config });
      if (status === 'KILL') loop.kill();
      const run = await loop.run((registry as ReturnType<typeof plainRegistry>) ?? plainRegistry(), 'start');
      expect(run.status).toBe(status);
      const end = run.graph.toJSON().graph.tasks.find((record) => record.id === run.endTask);
      const output = end?.output as LoopNodeOutput | undefined;
      expect([output?.state.status, output?.record.status]).toEqual([status, status]);
    },
  );

  it.each(LOOP_STATUSES)('R3-6 status %s returns the result its contract says', async (status) => {
    const { config, registry } = await fixtures[status]();
    const loop = new AgentLoop({ name: `r36-${status.toLowerCase()}`, ...config });
    if (status === 'KILL') loop.kill();
    const run = await loop.run((registry as ReturnType<typeof plainRegistry>) ?? plainRegistry(), 'start');
    const nullResult = ['STALLED', 'MAX_TURNS', 'INF_LOOP', 'ERROR'].includes(status);
    expect(run.result === null).toBe(nullResult);
    if (!nullResult) expect(run.result).toMatchObject({ id: run.state.pending.id });
  });

  it('R3-6 a killed run returns the last pending message with status KILL', async () => {
    const loop = new AgentLoop({
      name: 'r36-kill',
      responders: [scripted('a', ['x'])],
      session: 'r36-kill-session',
    });
    loop.kill();
    const run = await loop.run(plainRegistry(), 'the question');
    expect(run.status).toBe('KILL');
    expect(run.content).toBe('the question');
    loop.revive();
  });

  it('R3-6 INF_LOOP throws InfiniteLoopError when the loop asks for it', async () => {
    const loop = new AgentLoop({
      name: 'r36-throw',
      responders: [scripted('a', ['same'], { answersOwnMessages: true })],
      loopDetection: { cycleLen: 1 },
      onInfiniteLoop: 'throw',
    });
    const error = await loop.run(plainRegistry(), 'go').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfiniteLoopError);
    expect((error as InfiniteLoopError).code).toBe('INFINITE_LOOP');
    // langroid's dummy entry (count 1) must trail the repeated message by more than waitFactor: 7 - 1 > 5.
    expect((error as InfiniteLoopError).turn).toBe(7);
    expect((error as InfiniteLoopError).trace?.graph.tasks.length).toBeGreaterThan(0);
  });

  it('R3-8 an interactive root loop whose maxCost is exceeded ends with MAX_COST', async () => {
    const registry = await pricedRegistry(['one', 'two', 'three']);
    const loop = new AgentLoop({
      name: 'r38',
      responders: [llmResponder(), humanResponder({ defaultReply: 'tell me more' })],
      interactive: true,
      budget: { maxCostUsd: 1.5 },
    });
    const run = await loop.run(registry, 'hello');
    expect([run.status, run.usage.llmCalls]).toEqual(['MAX_COST', 2]);
  });

  it('R3-8 the checks run in order: kill before the done marker, cost before the done marker', async () => {
    const session = 'r38-order';
    const killer = new AgentLoop({ name: 'r38-kill', session, responders: [scripted('a', ['x'])] });
    const a = scripted('a', () => {
      killer.kill();
      return 'finished DONE';
    });
    const loop = new AgentLoop({ name: 'r38-kill2', session, responders: [a] });
    expect((await loop.run(plainRegistry(), 'q')).status).toBe('KILL');
    killer.revive();
    const registry = await pricedRegistry(['finished DONE']);
    const costly = new AgentLoop({
      name: 'r38-cost',
      responders: [llmResponder()],
      budget: { maxCostUsd: 0.5 },
    });
    expect((await costly.run(registry, 'q')).status).toBe('MAX_COST');
  });

  it('R3-9 turns=3 on a loop that never ends plays exactly 3 turns and ends with FIXED_TURNS', async () => {
    const loop = new AgentLoop({
      name: 'r39',
      responders: [scripted('a', (n) => `reply ${n}`, { answersOwnMessages: true })],
      turns: 3,
    });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.content, run.turns]).toEqual(['FIXED_TURNS', 'reply 2', 3]);
    expect(committedSteps(run.graph, 'r39')).toHaveLength(3);
  });

  it('R3-9 maxTurns ends with MAX_TURNS and a null result; singleRound plays one turn, two with llmDelegate', async () => {
    const responders = () => [scripted('a', (n) => `reply ${n}`, { answersOwnMessages: true })];
    const capped = await new AgentLoop({ name: 'r39-max', responders: responders(), maxTurns: 4 }).run(
      plainRegistry(),
      'q',
    );
    expect([capped.status, capped.result, capped.turns]).toEqual(['MAX_TURNS', null, 4]);
    const single = await new AgentLoop({
      name: 'r39-single',
      responders: responders(),
      singleRound: true,
    }).run(plainRegistry(), 'q');
    expect([single.status, single.turns]).toEqual(['FIXED_TURNS', 1]);
    const delegate = await new AgentLoop({
      name: 'r39-delegate',
      responders: responders(),
      singleRound: true,
      llmDelegate: true,
    }).run(plainRegistry(), 'q');
    expect(delegate.turns).toBe(2);
  });

  it('R3-10 stall counts consecutive invalid steps: [valid, invalid×4, valid, invalid×5] stalls on the 5th', async () => {
    const script = ['v1', null, null, null, null, 'v2', null, null, null, null, null, 'never'];
    const a = scripted('a', script, { answersOwnMessages: true });
    const run = await new AgentLoop({ name: 'r310', responders: [a] }).run(plainRegistry(), 'q');
    expect([run.status, run.turns, run.result]).toEqual(['STALLED', 11, null]);
    expect(committedSteps(run.graph, 'r310').map((step) => step.record.stalled)).toEqual([
      0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5,
    ]);
  });

  it('R3-10 a pass-through counts as a stalled step', async () => {
    const a = scripted('a', ['x', { pass: true }], { answersOwnMessages: true });
    const run = await new AgentLoop({ name: 'r310-pass', responders: [a], maxStalledSteps: 3 }).run(
      plainRegistry(),
      'q',
    );
    expect([run.status, run.turns]).toEqual(['STALLED', 4]);
  });

  it('R3-11 with allowNullResult an invalid step commits a synthetic DO-NOT-KNOW from the other party', async () => {
    const bot = scripted('bot', (n) => `answer ${n}`);
    const run = await new AgentLoop({ name: 'r311', responders: [bot], allowNullResult: true, turns: 3 }).run(
      plainRegistry(),
      'q',
    );
    const m2 = run.state.history[2];
    expect(m2).toMatchObject({ sender: 'user', entity: 'user', content: 'DO-NOT-KNOW', synthetic: true });
    expect(
      committedSteps(run.graph, 'r311').map((step) => [step.record.committed?.kind, step.record.stalled]),
    ).toEqual([
      ['valid', 0],
      ['null-result', 1],
      ['valid', 0],
    ]);
  });
});
