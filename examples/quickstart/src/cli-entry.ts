import { FunctionRegistry } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { buildGraph, registry as functions } from './graph.js';
import { startOfflineHandler } from './offline-handler.js';

/**
 * The quickstart as a module for the taskgraph command (see docs/cli.md, "Program modules"):
 *
 *   taskgraph run examples/quickstart/src/cli-entry.ts --trace quickstart.json
 *   taskgraph run examples/quickstart/src/cli-entry.ts --input '{"kinds":["rivers","birds"]}'
 *   taskgraph replay quickstart.json --registry examples/quickstart/src/cli-entry.ts
 *
 * Offline by default (canned replies from a local OpenAI-compatible test server, not a real model);
 * the OpenAI API when OPENAI_API_KEY is set.
 */

/** Builds the quickstart graph from `--input` ({ kinds: string[] }), or with its default kinds. */
export const graph = buildGraph;

let server: TestServer | undefined;

/** The quickstart's functions and an LLM handler: the test server's, or OpenAI's with a key. */
export async function registry(): Promise<FunctionRegistry> {
  const local = new FunctionRegistry().include(functions);
  if (process.env.OPENAI_API_KEY) {
    return local.addHandler(new OpenAIHandler({ defaultModel: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' }));
  }
  const offline = await startOfflineHandler();
  server = offline.server;
  return local.addHandler(offline.handler);
}

/** Stops the test server, if one was started. */
export async function teardown(): Promise<void> {
  await server?.close();
  server = undefined;
}
