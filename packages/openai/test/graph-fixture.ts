import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import type { OpenAIHandlerOptions } from '../src/openai-handler.js';
import { OpenAIHandler } from '../src/openai-handler.js';
import type { TestServer } from '../src/testing/index.js';
import { startTestServer } from '../src/testing/index.js';

/** A test server, an OpenAIHandler pointed at it, and a registry with a prompt formatter. */
export async function llmFixture(options: OpenAIHandlerOptions = {}) {
  const server = await startTestServer();
  const handler = new OpenAIHandler({
    apiKey: 'sk-test',
    baseURL: server.url,
    env: {},
    defaultModel: 'gpt-4o-mini',
    retry: { initialDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 },
    ...options,
  });
  const registry = new FunctionRegistry().addHandler(handler);
  const ask = registry.register('ask', (ctx) => String(ctx.args));
  return { server, handler, registry, ask };
}

/** A graph of `n` independent LLM tasks asking "question <i>". */
export function questions(ask: { id: string }, n: number, params: Record<string, unknown> = {}) {
  const graph = new TaskGraph();
  for (let i = 0; i < n; i++) graph.addLLM({ id: `q${i}`, prompt: ask.id, args: `question ${i}`, params });
  return graph;
}

export type Fixture = Awaited<ReturnType<typeof llmFixture>> & { server: TestServer };
