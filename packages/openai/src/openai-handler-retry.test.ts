import type { LLMCallOptions } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LLMCallError } from './errors.js';
import { OpenAIHandler, type OpenAIHandlerOptions } from './openai-handler.js';
import type { RetryOptions } from './retry-policy.js';
import { startTestServer, type TestServer } from './testing/index.js';

let server: TestServer;
let delays: number[];
beforeEach(async () => {
  server = await startTestServer();
  delays = [];
});
afterEach(() => server.close());

const task: LLMCallOptions = { signal: new AbortController().signal, taskPath: ['classify'] };
const request = { prompt: 'Classify this.', params: { model: 'gpt-4o-mini' } };

/** A handler whose backoff waits are recorded, not slept. */
function handler(options: OpenAIHandlerOptions = {}, retry: RetryOptions = {}): OpenAIHandler {
  const sleep = async (ms: number) => void delays.push(ms);
  return new OpenAIHandler({
    apiKey: 'sk-test',
    baseURL: server.url,
    env: {},
    ...options,
    retry: { sleep, ...retry },
  });
}

async function failure(llm: OpenAIHandler): Promise<LLMCallError> {
  const error = await llm.call(request, task).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LLMCallError);
  return error as LLMCallError;
}

const serverError = { fault: 'status', status: 500 } as const;

describe('OpenAIHandler retries', () => {
  it('retries a 429 after the delay its retry-after header asks for', async () => {
    server.enqueue(
      { fault: 'status', status: 429, headers: { 'retry-after': '2' } },
      { content: 'positive' },
    );
    const result = await handler().call(request, task);
    expect(result.message.content).toBe('positive');
    expect(result.requests).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(delays).toEqual([2000]);
  });

  it('retries a 500 and succeeds', async () => {
    server.enqueue(serverError);
    const result = await handler().call(request, task);
    expect(result.requests).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with LLM_CALL_FAILED and the attempt count after a persistent 500', async () => {
    server.setDefaultReply(serverError);
    const error = await failure(handler({}, { maxRetries: 3 }));
    expect(error).toMatchObject({
      code: 'LLM_CALL_FAILED',
      failure: 'server-error',
      attempts: 4,
      status: 500,
      taskId: 'classify',
    });
    expect(server.requests).toHaveLength(4);
  });

  it('backs off exponentially between retries, less the jitter', async () => {
    server.setDefaultReply(serverError);
    await failure(
      handler({}, { maxRetries: 4, initialDelayMs: 100, maxDelayMs: 500, jitter: 0.5, random: () => 0.5 }),
    );
    expect(delays).toEqual([75, 150, 300, 375]);
  });

  it('does not retry a 400', async () => {
    server.enqueue({ fault: 'status', status: 400 });
    const error = await failure(handler());
    expect(error).toMatchObject({ failure: 'rejected', attempts: 1, status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a request that times out, closing each connection, then fails with failure "timeout"', async () => {
    server.setDefaultReply({ fault: 'hang' });
    const error = await failure(handler({ timeoutMs: 50 }));
    expect(error).toMatchObject({ code: 'LLM_CALL_FAILED', failure: 'timeout', attempts: 3 });
    const outcomes = await Promise.all(server.requests.map((r) => r.settled));
    expect(outcomes).toEqual(['client-closed', 'client-closed', 'client-closed']);
  });

  it('succeeds when the retry of a timed-out request answers in time', async () => {
    server.enqueue({ fault: 'delay', ms: 60_000 });
    const result = await handler({ timeoutMs: 100 }).call(request, task);
    expect(result.requests).toBe(2);
  });

  it('retries a dropped connection and succeeds', async () => {
    server.enqueue({ fault: 'drop' }, { content: 'neutral' });
    const result = await handler().call(request, task);
    expect(result.message.content).toBe('neutral');
    expect(result.requests).toBe(2);
    expect(server.requests[0]?.outcome).toBe('dropped');
  });

  it('fails with failure "connection" when every connection drops', async () => {
    server.setDefaultReply({ fault: 'drop' });
    const error = await failure(handler({}, { maxRetries: 1 }));
    expect(error).toMatchObject({ failure: 'connection', attempts: 2 });
  });

  it('fails with failure "bad-response" on a malformed JSON body, without retrying', async () => {
    server.enqueue({ fault: 'malformed' });
    const error = await failure(handler());
    expect(error).toMatchObject({
      code: 'LLM_CALL_FAILED',
      failure: 'bad-response',
      attempts: 1,
      taskId: 'classify',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with failure "bad-response" on an HTML page answered with status 200', async () => {
    server.enqueue({ fault: 'html' });
    const error = await failure(handler());
    expect(error).toMatchObject({ failure: 'bad-response', attempts: 1 });
  });

  it('fails with failure "bad-response" on JSON that is not a chat completion', async () => {
    server.enqueue({ fault: 'status', status: 200, body: { object: 'list', data: [] } });
    const error = await failure(handler());
    expect(error).toMatchObject({ failure: 'bad-response' });
  });
});
