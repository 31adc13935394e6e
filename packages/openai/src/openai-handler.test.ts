import type { ChatMessage, LLMCallOptions } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LLMConfigError } from './errors.js';
import { OpenAIHandler, type OpenAIHandlerOptions } from './openai-handler.js';
import { startTestServer, type TestServer } from './testing/index.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const task: LLMCallOptions = { signal: new AbortController().signal, taskPath: ['outline', 'draft'] };

function handler(options: OpenAIHandlerOptions = {}): OpenAIHandler {
  return new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {}, ...options });
}

function body(index = 0): Record<string, unknown> {
  return server.requests[index]?.body as Record<string, unknown>;
}

describe('OpenAIHandler', () => {
  it('returns the text reply with its usage, model and request count', async () => {
    server.addRule({ match: 'capital of France', reply: { content: 'Paris is the capital.' } });
    const result = await handler().call(
      { prompt: 'What is the capital of France?', params: { model: 'gpt-4o-mini' } },
      task,
    );
    expect(result.message).toEqual({
      role: 'assistant',
      content: 'Paris is the capital.',
      finishReason: 'stop',
    });
    expect(result.usage).toEqual({ promptTokens: 6, completionTokens: 4, totalTokens: 10 });
    expect(result.model).toBe('gpt-4o-mini');
    expect(result.requests).toBe(1);
  });

  it('sends a string prompt as one user message', async () => {
    await handler().call({ prompt: 'Hello', params: { model: 'gpt-4o' } }, task);
    expect(body().messages).toEqual([{ role: 'user', content: 'Hello' }]);
  });

  it('passes a message list through with toolCalls and toolCallId in snake case', async () => {
    const toolCall = {
      id: 'call_1',
      type: 'function' as const,
      function: { name: 'add', arguments: '{"a":1}' },
    };
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Add one.', name: 'ada' },
      { role: 'assistant', content: null, toolCalls: [toolCall] },
      { role: 'tool', content: '2', toolCallId: 'call_1' },
    ];
    await handler().call({ prompt: messages, params: { model: 'gpt-4o' } }, task);
    expect(body().messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Add one.', name: 'ada' },
      { role: 'assistant', content: null, tool_calls: [toolCall] },
      { role: 'tool', content: '2', tool_call_id: 'call_1' },
    ]);
  });

  it('returns tool calls in camelCase that go back to the server in the next turn', async () => {
    const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }];
    server.enqueue({ toolCalls: [{ id: 'call_w', name: 'weather', arguments: { city: 'Oslo' } }] });
    server.enqueue({ content: 'It is cold in Oslo.' });
    const llm = handler();
    const first = await llm.call({ prompt: 'Weather in Oslo?', params: { model: 'gpt-4o', tools } }, task);
    expect(first.message).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [
        { id: 'call_w', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
      ],
      finishReason: 'tool_calls',
    });
    const history: ChatMessage[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, toolCalls: first.message.toolCalls! },
      { role: 'tool', content: '-3 C', toolCallId: 'call_w' },
    ];
    const second = await llm.call({ prompt: history, params: { model: 'gpt-4o', tools } }, task);
    expect(second.message.content).toBe('It is cold in Oslo.');
    expect(body(0).tools).toEqual(tools);
    expect(body(1).messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: first.message.toolCalls },
      { role: 'tool', content: '-3 C', tool_call_id: 'call_w' },
    ]);
  });

  it('passes params through as the request body', async () => {
    const responseFormat = {
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object', properties: { n: { type: 'number' } } } },
    };
    await handler().call(
      {
        prompt: 'n?',
        params: { model: 'gpt-4.1', temperature: 0.2, seed: 7, response_format: responseFormat },
      },
      task,
    );
    expect(body()).toMatchObject({
      model: 'gpt-4.1',
      temperature: 0.2,
      seed: 7,
      response_format: responseFormat,
    });
  });

  it('returns the JSON content of a response_format reply as the server sent it', async () => {
    server.addRule({ match: 'good', reply: { content: '{"n": 1}' } });
    server.addRule({ match: 'bad', reply: { content: '{"n": ' } });
    const params = { model: 'gpt-4o', response_format: { type: 'json_object' } };
    const good = await handler().call({ prompt: 'good', params }, task);
    const bad = await handler().call({ prompt: 'bad', params }, task);
    const unscripted = await handler().call({ prompt: 'other', params }, task);
    expect([good.message.content, bad.message.content, unscripted.message.content]).toEqual([
      '{"n": 1}',
      '{"n": ',
      '{}',
    ]);
  });

  it('returns a refusal and the finish reason', async () => {
    server.enqueue({ content: null, refusal: 'I cannot help with that.', finishReason: 'content_filter' });
    const result = await handler().call({ prompt: 'x', params: { model: 'gpt-4o' } }, task);
    expect(result.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: 'I cannot help with that.',
      finishReason: 'content_filter',
    });
  });

  it('uses defaultModel when the params name no model', async () => {
    await handler({ defaultModel: 'gpt-4.1-nano' }).call({ prompt: 'x', params: {} }, task);
    expect(body().model).toBe('gpt-4.1-nano');
  });

  it('fails with LLM_CONFIG naming the task when no model is named', async () => {
    const error = await handler()
      .call({ prompt: 'x', params: {} }, task)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMConfigError);
    expect(error).toMatchObject({ code: 'LLM_CONFIG', taskPath: ['outline', 'draft'], taskId: 'draft' });
    expect(server.requests).toHaveLength(0);
  });

  it('fails with LLM_CONFIG before any request when no API key is set', async () => {
    const llm = new OpenAIHandler({ baseURL: server.url, env: {} });
    const error = await llm.call({ prompt: 'x', params: { model: 'gpt-4o' } }, task).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_CONFIG', taskId: 'draft' });
    expect(server.requests).toHaveLength(0);
  });

  it('reads the API key and base URL from OPENAI_API_KEY and OPENAI_BASE_URL', async () => {
    await server.close();
    server = await startTestServer({ apiKey: 'sk-from-env' });
    const llm = new OpenAIHandler({ env: { OPENAI_API_KEY: 'sk-from-env', OPENAI_BASE_URL: server.url } });
    const result = await llm.call({ prompt: 'x', params: { model: 'gpt-4o' } }, task);
    expect(result.message.content).toBe('ok');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env');
  });

  it('rejects a timeoutMs that is not a positive integer with INVALID_ARGUMENT', () => {
    expect(() => handler({ timeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('has the id "openai" unless given one', () => {
    expect([handler().id, handler({ id: 'local-llm' }).id]).toEqual(['openai', 'local-llm']);
  });
});
