import type { TaskGraph } from '@taskgraph/core';
import { FunctionRegistry } from '@taskgraph/core';
import type { ModelPrice } from '@taskgraph/openai';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer, TestServerOptions } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import type { FunctionResponder } from '../loop-definition.js';
import type { LoopMessage, ResponderOutput } from '../loop-message.js';
import type { LoopNodeOutput } from '../loop-state.js';
import type { FunctionResponderOptions } from '../responders.js';
import { functionResponder } from '../responders.js';

/**
 * An OpenAI-compatible test server, the OpenAIHandler pointed at it (so LLM responders go through the
 * SDK and HTTP), and a registry holding the handler. Model "test-model" costs nothing unless `prices` says.
 */
export async function llmFixture(options: TestServerOptions & { prices?: Record<string, ModelPrice> } = {}) {
  const { prices, ...serverOptions } = options;
  const server: TestServer = await startTestServer(serverOptions);
  const handler = new OpenAIHandler({
    apiKey: 'sk-test',
    baseURL: server.url,
    env: {},
    defaultModel: 'test-model',
    description: 'OpenAI-compatible test server: not a real model.',
    retry: { initialDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 },
    prices: { 'test-model': { inputPerMillion: 0, outputPerMillion: 0 }, ...prices },
  });
  const registry = new FunctionRegistry().addHandler(handler);
  return { server, handler, registry };
}

/**
 * A function responder whose replies come from a list (the n-th call gets the n-th entry, the last one
 * repeats) or a function of the call number; `calls` records the content of each message it was asked.
 */
export function scripted(
  name: string,
  replies:
    | readonly ResponderOutput[]
    | ((call: number, message: LoopMessage) => ResponderOutput | Promise<ResponderOutput>),
  options: Omit<FunctionResponderOptions, 'name' | 'respond'> = {},
): FunctionResponder & { calls: Array<string | null> } {
  const calls: Array<string | null> = [];
  const responder = functionResponder({
    ...options,
    name,
    respond: (message) => {
      calls.push(message.content);
      const n = calls.length - 1;
      return typeof replies === 'function' ? replies(n, message) : replies[Math.min(n, replies.length - 1)];
    },
  });
  return Object.assign(responder, { calls });
}

/** Ids of the tasks of a graph, in order. */
export function taskIds(graph: TaskGraph): string[] {
  return [...graph.tasks()].map((task) => task.id);
}

/** A fresh registry (no LLM handler): for loops of function responders only. */
export function plainRegistry(): FunctionRegistry {
  return new FunctionRegistry();
}

/** The output of the step task `id` of a graph; throws when the task has none. */
export function stepAt(graph: TaskGraph, id: string): LoopNodeOutput {
  const output = graph.task(id)?.output?.value as LoopNodeOutput | undefined;
  if (!output?.state) throw new Error(`stepAt: task "${id}" has no step output`);
  return output;
}
