import type { LLMCallOptions, LLMRequest } from '@taskgraph/core';
import { TaskGraph } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmFixture, questions } from '../test/graph-fixture.js';
import { OpenAIHandler, type OpenAIHandlerOptions } from './openai-handler.js';
import { type CompletionReply, startTestServer, type TestServer } from './testing/index.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

function handler(options: OpenAIHandlerOptions = {}): OpenAIHandler {
  return new OpenAIHandler({
    apiKey: 'sk-test',
    baseURL: server.url,
    env: {},
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
}

function callOptions(deltas: string[], signal = new AbortController().signal): LLMCallOptions {
  return { signal, taskPath: ['essay'], onDelta: (text) => deltas.push(text) };
}

const request: LLMRequest = { prompt: 'Name three colours.', params: { model: 'gpt-4o-mini' } };
const streamed: LLMRequest = { ...request, params: { ...request.params, stream: true } };

const replies: Record<string, CompletionReply> = {
  text: { content: 'Red, green and blue.' },
  'tool calls': {
    toolCalls: [
      { id: 'call_a', name: 'lookup', arguments: { colour: 'red', depth: 2 } },
      { id: 'call_b', name: 'paint', arguments: '{"wall":"north"}' },
    ],
  },
  refusal: { content: null, refusal: 'I cannot help with that.' },
  'empty text with a length stop': { content: '', finishReason: 'length' },
};

describe('OpenAIHandler streaming', () => {
  for (const [name, reply] of Object.entries(replies)) {
    it(`returns the same result streamed as not streamed (${name})`, async () => {
      server.setDefaultReply(reply);
      const plain = await handler().call(request, callOptions([]));
      const deltas: string[] = [];
      const live = await handler().call(streamed, callOptions(deltas));
      expect(live).toEqual(plain);
      expect(deltas.join('')).toBe(plain.message.content ?? '');
    });
  }

  it('reports the text piece by piece as it arrives, and asks for the usage chunk', async () => {
    server.setDefaultReply({ content: 'one two three four' });
    const deltas: string[] = [];
    const result = await handler({ stream: true }).call(request, callOptions(deltas));
    expect(deltas).toEqual(['one ', 'two ', 'three ', 'four']);
    expect(result.usage).toEqual({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('does not stream when params.stream is false, whatever the handler option', async () => {
    const deltas: string[] = [];
    await handler({ stream: true }).call(
      { ...request, params: { ...request.params, stream: false } },
      callOptions(deltas),
    );
    expect(deltas).toEqual([]);
    expect(server.requests[0]?.body).toMatchObject({ stream: false });
    expect(server.requests[0]?.body).not.toHaveProperty('stream_options');
  });

  it('retries a stream the server cuts, and returns the whole reply of the next attempt', async () => {
    server.enqueue({ fault: 'cut-stream', afterChunks: 3, reply: { content: 'alpha beta gamma delta' } });
    server.setDefaultReply({ content: 'alpha beta gamma delta' });
    const deltas: string[] = [];
    const result = await handler().call(streamed, callOptions(deltas));
    expect(result.message.content).toBe('alpha beta gamma delta');
    expect(result.requests).toBe(2);
    expect(server.requests[0]?.outcome).toBe('dropped');
    // The cut attempt's text arrived before the failure; the retry streams the reply again from its start.
    expect(deltas.join('')).toBe('alpha beta alpha beta gamma delta');
  });

  it('fails with LLM_CALL_FAILED (connection) when every attempt is cut mid-stream', async () => {
    server.setDefaultReply({ fault: 'cut-stream', afterChunks: 2 });
    const error = await handler({ retry: { maxRetries: 1, initialDelayMs: 1 } })
      .call(streamed, callOptions([]))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLM_CALL_FAILED', failure: 'connection', attempts: 2 });
  });

  it('treats a stream that ends before its finish reason as a dropped connection', async () => {
    server.enqueue({ fault: 'cut-stream', afterChunks: 2, ending: 'end' });
    const result = await handler().call(streamed, callOptions([]));
    expect(result.requests).toBe(2);
    expect(server.requests[0]?.outcome).toBe('answered');
    server.setDefaultReply({ fault: 'cut-stream', afterChunks: 2, ending: 'end' });
    const failed = await handler({ retry: { maxRetries: 0 } })
      .call(streamed, callOptions([]))
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'LLM_CALL_FAILED', failure: 'connection', attempts: 1 });
  });

  it('closes the connection when the signal aborts mid-stream', async () => {
    server.setDefaultReply({
      fault: 'cut-stream',
      afterChunks: 2,
      ending: 'hang',
      reply: { content: 'never ends' },
    });
    const controller = new AbortController();
    const call = handler()
      .call(streamed, {
        signal: controller.signal,
        taskPath: ['essay'],
        onDelta: () => controller.abort(),
      })
      .catch((e: unknown) => e);
    expect(await call).toMatchObject({ code: 'CANCELLED', taskId: 'essay' });
    const inFlight = server.requests[0];
    expect(await inFlight?.settled).toBe('client-closed');
    expect(server.requests).toHaveLength(1);
  });
});

describe('a graph with a streaming handler', () => {
  it('emits llm:delta events and stores what a handler without streaming stores, so replay reuses it', async () => {
    const live = await llmFixture({ stream: true });
    const plain = await llmFixture();
    try {
      for (const fixture of [live, plain]) fixture.server.setDefaultReply({ content: 'a short answer here' });
      const deltas: string[] = [];
      const liveGraph = questions(live.ask, 2);
      await liveGraph.run(live.registry, {
        onEvent: (event) => {
          if (event.type === 'llm:delta' && event.taskPath[0] === 'q1') deltas.push(event.text);
        },
      });
      const plainGraph = questions(plain.ask, 2);
      await plainGraph.run(plain.registry);
      expect(deltas.join('')).toBe('a short answer here');
      const records = (graph: TaskGraph) =>
        graph.toJSON().graph.tasks.map(({ startedAt, durationMs, ...rest }) => rest);
      expect(records(liveGraph)).toEqual(records(plainGraph));

      // The streamed trace replays through the handler that does not stream with no call at all.
      const replay = TaskGraph.fromJSON(liveGraph.toJSON());
      await replay.run(plain.registry);
      expect(plain.server.requests).toHaveLength(2);
    } finally {
      await live.server.close();
      await plain.server.close();
    }
  });
});
