import { TaskGraph, TaskGraphError } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../test/graph-fixture.js';
import { llmFixture, questions } from '../test/graph-fixture.js';

let fx: Fixture;
afterEach(() => fx?.server.close());

async function rejection(promise: Promise<unknown>): Promise<TaskGraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TaskGraphError)) throw new Error(`expected a TaskGraphError, got ${String(error)}`);
  return error;
}

describe('LLM tasks through the OpenAI SDK', () => {
  it("add up a run's tokens and cost from the replies' usage", async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply((request) => ({
      content: 'x '.repeat(request.index + 1).trim(),
      usage: { promptTokens: 100 * (request.index + 1), completionTokens: 10 * (request.index + 1) },
    }));
    const graph = questions(fx.ask, 3);
    await graph.run(fx.registry);
    const usage = graph.toJSON().run?.usage;
    const sent = fx.server.requests.map((_, i) => ({ prompt: 100 * (i + 1), completion: 10 * (i + 1) }));
    const promptTokens = sent.reduce((n, u) => n + u.prompt, 0);
    const completionTokens = sent.reduce((n, u) => n + u.completion, 0);
    expect(usage).toMatchObject({
      llmCalls: 3,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
    });
    // gpt-4o-mini list price: $0.15 per million input tokens, $0.60 per million output tokens.
    expect(usage?.costUsd).toBeCloseTo((promptTokens * 0.15 + completionTokens * 0.6) / 1e6, 12);
    const taskCosts = graph.toJSON().graph.tasks.map((t) => (t.kind === 'llm' ? (t.costUsd ?? 0) : 0));
    expect(taskCosts.reduce((a, b) => a + b, 0)).toBeCloseTo(usage?.costUsd ?? -1, 12);
  });

  it('records a model with no price as unknown cost, never as free', async () => {
    fx = await llmFixture();
    const graph = questions(fx.ask, 2, { model: 'house-model-7b' });
    await graph.run(fx.registry);
    const trace = graph.toJSON();
    expect(trace.run?.usage).toMatchObject({ llmCalls: 2, costUsd: 0, unknownCostCalls: 2 });
    expect(trace.graph.tasks.map((t) => (t.kind === 'llm' ? t.costUsd : 'n/a'))).toEqual([null, null]);
  });

  it('retries a 429 with retry-after and a 500, and completes', async () => {
    fx = await llmFixture();
    fx.server.enqueue(
      { fault: 'status', status: 429, headers: { 'retry-after': '0' } },
      { fault: 'status', status: 500 },
    );
    const graph = questions(fx.ask, 1);
    await graph.run(fx.registry);
    expect(graph.task('q0')?.status).toBe('done');
    expect(fx.server.requests).toHaveLength(3);
  });

  it.each([
    ['a persistent 500', { fault: 'status', status: 500 } as const, 'server-error'],
    ['a dropped connection', { fault: 'drop' } as const, 'connection'],
    ['a malformed body', { fault: 'malformed' } as const, 'bad-response'],
    ['an HTML page', { fault: 'html' } as const, 'bad-response'],
  ])('records %s as the task error, naming the task, with the attempts', async (_name, fault, failure) => {
    fx = await llmFixture();
    fx.server.setDefaultReply(fault);
    const graph = questions(fx.ask, 1);
    const error = await rejection(graph.run(fx.registry));
    expect(error.code).toBe('TASK_FAILED');
    expect(error.taskPath).toEqual(['q0']);
    const record = error.trace?.graph.tasks[0];
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('LLM_CALL_FAILED');
    expect(record?.error?.data?.failure).toBe(failure);
    expect(record?.error?.data?.attempts).toBe(fx.server.requests.length);
  });

  it('fails a timed-out call after its retries, each connection closed by the client', async () => {
    fx = await llmFixture({ timeoutMs: 50, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } });
    fx.server.setDefaultReply({ fault: 'hang' });
    const error = await rejection(questions(fx.ask, 1).run(fx.registry));
    expect(error.trace?.graph.tasks[0]?.error?.data).toMatchObject({ failure: 'timeout', attempts: 2 });
    const outcomes = await Promise.all(fx.server.requests.map((r) => r.settled));
    expect(outcomes).toEqual(['client-closed', 'client-closed']);
  });

  it('cancelling the run closes the HTTP request in flight', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply({ fault: 'hang' });
    const controller = new AbortController();
    const running = questions(fx.ask, 1).run(fx.registry, { signal: controller.signal });
    const request = await fx.server.waitForRequest(0);
    controller.abort();
    const error = await rejection(running);
    expect(error.code).toBe('CANCELLED');
    expect(await request.settled).toBe('client-closed');
    expect(error.trace?.graph.tasks[0]?.status).toBe('cancelled');
  });

  it('fails before any request when no API key is set, naming the task', async () => {
    fx = await llmFixture({ apiKey: undefined as never });
    const error = await rejection(questions(fx.ask, 1).run(fx.registry));
    expect((error.cause as TaskGraphError).code).toBe('LLM_CONFIG');
    expect((error.cause as TaskGraphError).message).toContain('q0');
    expect(fx.server.requests).toHaveLength(0);
  });

  it('fails before any request for a model with no price when prices are required', async () => {
    fx = await llmFixture({ onUnknownPrice: 'error' });
    const error = await rejection(questions(fx.ask, 1, { model: 'house-model-7b' }).run(fx.registry));
    expect((error.cause as TaskGraphError).code).toBe('LLM_PRICE_UNKNOWN');
    expect(error.taskPath).toEqual(['q0']);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('stores the assistant message, tool calls included, as the response', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply({ toolCalls: [{ name: 'lookup', arguments: { city: 'Paris' } }] });
    const graph = new TaskGraph();
    graph.addLLM({
      id: 'tool',
      prompt: fx.ask,
      args: 'weather?',
      params: { tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] },
    });
    await graph.run(fx.registry);
    const record = graph.toJSON().graph.tasks[0];
    expect(record?.kind === 'llm' && record.response).toMatchObject({
      role: 'assistant',
      content: null,
      finishReason: 'tool_calls',
      toolCalls: [{ type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } }],
    });
  });
});
