import { TaskGraph } from '@taskgraph/core';
import type { ModelPrice } from '@taskgraph/openai';
import type { ScriptedReply } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { findLoopEnd } from './loop-result.js';
import { llmResponder, subLoop } from './responders.js';
import { llmFixture, scripted, stepAt } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A test server whose replies each use `tokens` prompt tokens (and no completion token). */
async function fixture(tokens: number, prices: Record<string, ModelPrice> = {}, content = 'more') {
  const fx = await llmFixture({ prices });
  servers.push(fx.server);
  fx.server.setDefaultReply(
    (): ScriptedReply => ({ content, usage: { promptTokens: tokens, completionTokens: 0 } }),
  );
  return fx;
}

describe('budgets', () => {
  it('R3-12 usage is counted per run: two runs of 600 tokens under maxTokens 1000 both finish', async () => {
    const fx = await fixture(600, {}, 'the answer. DONE');
    const first = new AgentLoop({
      name: 'r312-a',
      responders: [llmResponder()],
      budget: { maxTokens: 1000 },
    });
    const second = new AgentLoop({
      name: 'r312-b',
      responders: [llmResponder()],
      budget: { maxTokens: 1000 },
    });
    const runs = [
      await first.run(fx.registry, 'q'),
      await second.run(fx.registry, 'q'),
      await first.run(fx.registry, 'q'),
    ];
    expect(runs.map((run) => [run.status, run.usage.totalTokens])).toEqual([
      ['DONE', 600],
      ['DONE', 600],
      ['DONE', 600],
    ]);
  });

  it('R3-12 a loop counts the usage of its sub-loops', async () => {
    const fx = await fixture(600, {}, 'found it. DONE');
    const child = new AgentLoop({ name: 'r312-child', responders: [llmResponder()] });
    const parent = new AgentLoop({ name: 'r312-parent', responders: [subLoop(child)], turns: 1 });
    const run = await parent.run(fx.registry, 'q');
    expect([run.status, run.usage.llmCalls, run.usage.totalTokens]).toEqual(['FIXED_TURNS', 1, 600]);
  });

  it('R3-13 with maxCost 0.01 and calls of 0.008, exactly 2 calls happen and the status is MAX_COST', async () => {
    const fx = await fixture(1000, { 'test-model': { inputPerMillion: 8, outputPerMillion: 0 } });
    const loop = new AgentLoop({
      name: 'r313',
      responders: [llmResponder(), scripted('agent', ['go on'])],
      budget: { maxCostUsd: 0.01 },
    });
    const run = await loop.run(fx.registry, 'q');
    expect([run.status, fx.server.requests.length, run.usage.llmCalls]).toEqual(['MAX_COST', 2, 2]);
    expect(run.usage.costUsd).toBeCloseTo(0.016);
  });

  it('R3-13 no call starts once the budget is used up', async () => {
    const fx = await fixture(1000, { 'test-model': { inputPerMillion: 8, outputPerMillion: 0 } });
    const loop = new AgentLoop({
      name: 'r313-before',
      responders: [llmResponder(), scripted('agent', ['go on'])],
      budget: { maxCostUsd: 0.008 },
    });
    const run = await loop.run(fx.registry, 'q');
    expect([run.status, fx.server.requests.length, run.turns]).toEqual(['MAX_COST', 1, 2]);
  });

  it('R3-14 a sub-loop inherits what remains: parent 100 tokens, child spends 70, parent spends 30 more', async () => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.addRule({
      model: 'helper',
      reply: { content: 'found it. DONE', usage: { promptTokens: 70, completionTokens: 0 } },
    });
    fx.server.addRule({
      model: 'writer',
      reply: { content: 'draft', usage: { promptTokens: 30, completionTokens: 0 } },
    });
    const child = new AgentLoop({
      name: 'r314-child',
      responders: [llmResponder({ params: { model: 'helper' } })],
    });
    const parent = new AgentLoop({
      name: 'r314',
      responders: [
        subLoop(child),
        llmResponder({ name: 'writer', params: { model: 'writer' } }),
        scripted('echo', ['more']),
      ],
      budget: { maxTokens: 100 },
    });
    const run = await parent.run(fx.registry, 'q');
    expect([run.status, run.usage.totalTokens]).toEqual(['MAX_TOKENS', 100]);
    expect(fx.server.requests.map((request) => request.model)).toEqual(['helper', 'writer']);
    const childStart = stepAt(run.graph, 'r314/turn-1.r314-child');
    expect(childStart.state.limits.maxTokens).toBe(100);
  });

  it('R3-15 a call of unknown cost fails the run under maxCostUsd, or counts as 0 with a warning', async () => {
    const fx = await fixture(10);
    const responders = [llmResponder({ params: { model: 'mystery-model' } }), scripted('agent', ['go on'])];
    const strict = new AgentLoop({ name: 'r315', responders, budget: { maxCostUsd: 1 } });
    const error = (await strict.run(fx.registry, 'q').catch((e: unknown) => e)) as {
      code: string;
      limit: string;
    };
    expect([error.code, error.limit]).toEqual(['BUDGET_EXCEEDED', 'unknownCost']);
    const lenient = new AgentLoop({
      name: 'r315-ignore',
      responders,
      budget: { maxCostUsd: 1, onUnknownCost: 'ignore' },
      turns: 3,
    });
    const run = await lenient.run(fx.registry, 'q');
    expect([run.status, run.usage.unknownCostCalls, run.usage.costUsd]).toEqual(['FIXED_TURNS', 2, 0]);
    const first = stepAt(run.graph, 'r315-ignore/turn-1');
    expect(first.record.warnings[0]).toContain('unknown');
  });

  it('R3-16 a replay of the trace reproduces the usage and ends with the same status at the same step', async () => {
    const fx = await fixture(40);
    const agent = scripted('agent', (n) => `note ${n}`);
    const loop = new AgentLoop({
      name: 'r316',
      responders: [llmResponder(), agent],
      budget: { maxTokens: 100 },
    });
    const run = await loop.run(fx.registry, 'q');
    expect([run.status, run.usage.totalTokens, run.turns]).toEqual(['MAX_TOKENS', 120, 5]);
    const calls = [fx.server.requests.length, agent.calls.length];
    const replayed = TaskGraph.fromJSON(JSON.parse(JSON.stringify(run.graph.toJSON())));
    await replayed.run(fx.registry, { replayOnly: true });
    const end = findLoopEnd(replayed, 'r316', 'r316');
    expect(end?.taskId).toBe(run.endTask);
    expect(end?.output.state.usage).toEqual(run.usage);
    expect(end?.output.state.status).toBe('MAX_TOKENS');
    expect([fx.server.requests.length, agent.calls.length]).toEqual(calls);
  });
});
