import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIHandler } from './openai-handler.js';
import { startTestServer, type TestServer } from './testing/index.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const request = { prompt: 'Write a long essay.', params: { model: 'gpt-4o' } };

describe('OpenAIHandler cancellation', () => {
  it('closes the HTTP connection when the signal aborts mid-request', async () => {
    server.setDefaultReply({ fault: 'hang' });
    const controller = new AbortController();
    const llm = new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {} });
    const call = llm
      .call(request, { signal: controller.signal, taskPath: ['essay'] })
      .catch((e: unknown) => e);
    const inFlight = await server.waitForRequest(0);
    controller.abort();
    expect(await call).toMatchObject({ code: 'CANCELLED', taskId: 'essay' });
    expect(await inFlight.settled).toBe('client-closed');
    expect(inFlight.clientClosed).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('stops retrying when the signal aborts during the backoff wait', async () => {
    server.setDefaultReply({ fault: 'status', status: 503 });
    const controller = new AbortController();
    const sleep = async () => controller.abort();
    const llm = new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {}, retry: { sleep } });
    const error = await llm
      .call(request, { signal: controller.signal, taskPath: ['essay'] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(server.requests).toHaveLength(1);
  });

  it('sends no request when the signal is already aborted', async () => {
    const llm = new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {} });
    const error = await llm
      .call(request, { signal: AbortSignal.abort(), taskPath: ['essay'] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(server.requests).toHaveLength(0);
  });
});
