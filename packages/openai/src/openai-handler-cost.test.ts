import type { LLMCallOptions } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriceUnknownError } from './errors.js';
import { OpenAIHandler, type OpenAIHandlerOptions } from './openai-handler.js';
import { startTestServer, type TestServer } from './testing/index.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const task: LLMCallOptions = { signal: new AbortController().signal, taskPath: ['summarize'] };
const usage = { promptTokens: 1_000_000, completionTokens: 200_000 };

function handler(options: OpenAIHandlerOptions = {}): OpenAIHandler {
  return new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {}, ...options });
}

describe('OpenAIHandler cost', () => {
  it('computes the cost from the usage and the price of the model that answered', async () => {
    server.enqueue({ usage });
    const result = await handler().call({ prompt: 'x', params: { model: 'gpt-4o' } }, task);
    expect(result.costUsd).toBeCloseTo(2.5 + 2, 10);
  });

  it('prices a dated snapshot reported by the server at its base model', async () => {
    server.enqueue({ model: 'gpt-4o-mini-2024-07-18', usage });
    const result = await handler().call({ prompt: 'x', params: { model: 'gpt-4o-mini' } }, task);
    expect(result.model).toBe('gpt-4o-mini-2024-07-18');
    expect(result.costUsd).toBeCloseTo(0.15 + 0.12, 10);
  });

  it('uses the prices option over the default prices', async () => {
    server.enqueue({ usage }, { usage });
    const prices = {
      'gpt-4o': { inputPerMillion: 1, outputPerMillion: 1 },
      'my-model': { inputPerMillion: 2, outputPerMillion: 0 },
    };
    const llm = handler({ prices });
    const overridden = await llm.call({ prompt: 'x', params: { model: 'gpt-4o' } }, task);
    const added = await llm.call({ prompt: 'x', params: { model: 'my-model' } }, task);
    expect([overridden.costUsd, added.costUsd]).toEqual([1.2, 2]);
  });

  it('records a null cost, not zero, for a model with no price', async () => {
    const result = await handler().call({ prompt: 'x', params: { model: 'llama-local' } }, task);
    expect(result.costUsd).toBeNull();
    expect(result.usage).toBeDefined();
  });

  it('fails with LLM_PRICE_UNKNOWN before any request in "error" mode', async () => {
    const llm = handler({ onUnknownPrice: 'error' });
    const error = await llm
      .call({ prompt: 'x', params: { model: 'llama-local' } }, task)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PriceUnknownError);
    expect(error).toMatchObject({ code: 'LLM_PRICE_UNKNOWN', model: 'llama-local', taskId: 'summarize' });
    expect(server.requests).toHaveLength(0);
  });

  it('fails with LLM_PRICE_UNKNOWN in "error" mode when the server reports a model with no price', async () => {
    server.enqueue({ model: 'gpt-4o-experimental' });
    const llm = handler({ onUnknownPrice: 'error' });
    const error = await llm.call({ prompt: 'x', params: { model: 'gpt-4o' } }, task).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_PRICE_UNKNOWN', model: 'gpt-4o-experimental' });
  });
});
