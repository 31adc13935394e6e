import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { supervisorResult } from '@taskgraph/patterns';
import { startOfflineHandler } from './offline-model.js';
import { buildGraph, buildRegistry } from './supervisor.js';

const tracePath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../traces/task-queue.json');

const online = Boolean(process.env.OPENAI_API_KEY);
const offline = online ? undefined : await startOfflineHandler();
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
const registry = buildRegistry(offline?.handler ?? new OpenAIHandler({ defaultModel: model }));
const graph = buildGraph(online ? model : undefined);
await mkdir(dirname(tracePath), { recursive: true });
try {
  await graph.run(registry, { budget: { maxCalls: 40 } });
  const result = supervisorResult(graph, 'invoices');
  console.log(
    online
      ? 'Ran against the OpenAI API.'
      : 'Ran offline: rule-based replies from a local test server, not a real model.',
  );
  console.log(`Supervisor: ${result?.status} after ${result?.turn} turns. ${result?.answer ?? ''}`);
  console.log('Done:', JSON.stringify(result?.queue.done));
  console.log('Failed:', JSON.stringify(result?.queue.failed));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  // The graph holds everything that finished, whether the run succeeded or not.
  await offline?.server.close();
  await saveTrace(graph, tracePath);
  console.log(`Trace written to ${tracePath}`);
}
