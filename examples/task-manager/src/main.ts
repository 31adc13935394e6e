import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace, TaskGraphError } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { startOfflineHandler } from './offline-model.js';
import { buildPlanner, researchInput } from './research.js';

const tracePath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../traces/task-manager.json');

const online = Boolean(process.env.OPENAI_API_KEY);
const offline = online ? undefined : await startOfflineHandler();
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
const { registry, planner } = buildPlanner(
  offline?.handler ?? new OpenAIHandler({ defaultModel: model }),
  (goal) => console.log(`Goal complete: ${goal}`),
);
const graph = planner.graph(researchInput(online ? model : undefined));
await mkdir(dirname(tracePath), { recursive: true });
try {
  await graph.run(registry, { budget: { maxCalls: 40 } });
  await saveTrace(graph, tracePath);
  const result = planner.result(graph, 'research');
  console.log(
    online
      ? 'Ran against the OpenAI API.'
      : 'Ran offline: rule-based replies from a local test server, not a real model.',
  );
  console.log(`Status: ${result?.status}, ${result?.tasksRun} tasks in ${result?.steps} steps.`);
  console.log(JSON.stringify(result?.finalResult, null, 2));
  console.log(`Trace written to ${tracePath}`);
} catch (error) {
  if (error instanceof TaskGraphError && error.trace) await saveTrace(error.trace, tracePath);
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await offline?.server.close();
}
