import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskResponseCache, TaskGraph, type TaskGraphError } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../test/graph-fixture.js';
import { llmFixture, questions } from '../test/graph-fixture.js';

let fx: Fixture;
afterEach(() => fx?.server.close());

async function rejection(promise: Promise<unknown>): Promise<TaskGraphError> {
  return promise.then(
    () => {
      throw new Error('expected the run to reject');
    },
    (e: unknown) => e as TaskGraphError,
  );
}

describe('budgets', () => {
  it('maxCalls: no call starts once the budget is spent, counted at the server', async () => {
    fx = await llmFixture();
    const error = await rejection(
      questions(fx.ask, 5).run(fx.registry, { budget: { maxCalls: 2 }, llmConcurrency: 3 }),
    );
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(fx.server.requests).toHaveLength(2);
    expect(error.trace?.graph.tasks.filter((t) => t.status === 'done')).toHaveLength(2);
  });

  it('maxTokens: checked after each call and before the next; the run ends with its own error', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply({ content: 'ok', usage: { promptTokens: 30, completionTokens: 10 } });
    const error = await rejection(
      questions(fx.ask, 5).run(fx.registry, { budget: { maxTokens: 100 }, llmConcurrency: 1 }),
    );
    expect(error.code).toBe('BUDGET_EXCEEDED');
    // 40 tokens a call: after 3 calls the run has used 120 > 100, and no fourth call starts.
    expect(fx.server.requests).toHaveLength(3);
    expect(error.trace?.run?.usage?.totalTokens).toBe(120);
  });

  it('maxCostUsd: a nested graph spends from the same budget', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply({ content: 'ok', usage: { promptTokens: 1_000_000, completionTokens: 0 } });
    // gpt-4o-mini: $0.15 per million input tokens, so each call costs $0.15.
    const inner = questions(fx.ask, 3);
    const graph = questions(fx.ask, 1);
    graph.addGraph({ id: 'nested', graph: inner, deps: ['q0'] });
    const error = await rejection(graph.run(fx.registry, { budget: { maxCostUsd: 0.4 }, llmConcurrency: 1 }));
    expect(error.code).toBe('BUDGET_EXCEEDED');
    // $0.30 after two calls (one outside, one nested) leaves room for a third; $0.45 then ends the run.
    expect(fx.server.requests).toHaveLength(3);
    expect(error.trace?.run?.usage?.costUsd).toBeCloseTo(0.45, 10);
  });

  it('maxCostUsd with a model that has no price ends the run instead of counting it as free', async () => {
    fx = await llmFixture();
    const error = await rejection(
      questions(fx.ask, 2, { model: 'house-model' }).run(fx.registry, {
        budget: { maxCostUsd: 1 },
        llmConcurrency: 1,
      }),
    );
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(fx.server.requests).toHaveLength(1);
  });
});

describe('offline and cached LLM calls', () => {
  it('replayOnly makes no request and names the first task it cannot answer', async () => {
    fx = await llmFixture();
    const graph = questions(fx.ask, 2);
    await graph.run(fx.registry);
    const trace = JSON.parse(JSON.stringify(graph.toJSON()));
    trace.graph.tasks[1].prompt = 'an edited question';
    const before = fx.server.requests.length;
    const error = await rejection(TaskGraph.fromJSON(trace).run(fx.registry, { replayOnly: true }));
    expect(fx.server.requests.length).toBe(before);
    expect(error.taskPath).toEqual(['q1']);
    expect((error.cause as TaskGraphError).code).toBe('REPLAY_MISS');
  });

  it('a response cache on disk serves the same requests in a new graph with no request', async () => {
    fx = await llmFixture();
    const cache = new DiskResponseCache(await mkdtemp(join(tmpdir(), 'taskgraph-llm-cache-')));
    await questions(fx.ask, 3).run(fx.registry, { responseCache: cache });
    expect(fx.server.requests).toHaveLength(3);
    const second = questions(fx.ask, 3);
    await second.run(fx.registry, { responseCache: cache, replayOnly: true });
    expect(fx.server.requests).toHaveLength(3);
    const record = second.toJSON().graph.tasks[0];
    expect(record?.kind === 'llm' && record.responseSource).toBe('cache');
    expect(second.toJSON().run?.usage).toBeUndefined();
  });

  it('keeps calls to one model within its own limit beside the global one', async () => {
    fx = await llmFixture();
    let inFlight = 0;
    let most = 0;
    fx.server.setDefaultReply(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return 'ok';
    });
    await questions(fx.ask, 6, { model: 'gpt-4o' }).run(fx.registry, {
      llmConcurrency: 8,
      llmLimits: { models: { 'gpt-4o': 2 } },
    });
    expect(most).toBe(2);
  });
});
