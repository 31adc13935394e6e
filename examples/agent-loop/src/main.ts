import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace, TaskGraphError } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { assistant, createRegistry, QUESTION } from './loops.js';
import { startOfflineHandler } from './offline-handler.js';

const tracePath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../traces/agent-loop.json');

const online = Boolean(process.env.OPENAI_API_KEY);
const offline = online ? undefined : await startOfflineHandler();
const registry = createRegistry(
  offline?.handler ?? new OpenAIHandler({ defaultModel: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' }),
);
await mkdir(dirname(tracePath), { recursive: true });
try {
  const run = await assistant.run(registry, QUESTION);
  await saveTrace(run.graph, tracePath);
  console.log(
    online
      ? 'Ran against the OpenAI API.'
      : 'Ran offline: canned replies from a local test server, not a real model.',
  );
  console.log(`${run.status} after ${run.turns} turns, ${run.usage.llmCalls} LLM calls:`);
  for (const message of run.state.history) console.log(`  ${message.sender}: ${message.content}`);
  console.log(`Result: ${run.content}`);
  console.log(`Trace written to ${tracePath}`);
} catch (error) {
  if (error instanceof TaskGraphError && error.trace) await saveTrace(error.trace, tracePath);
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await offline?.server.close();
}
