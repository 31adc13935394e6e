import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace } from '@taskgraph/core';
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
  const result = planner.result(graph, 'research');
  console.log(
    online
      ? 'Ran against the OpenAI API.'
      : 'Ran offline: rule-based replies from a local test server, not a real model.',
  );
  console.log(`Status: ${result?.status}, ${result?.tasksRun} tasks in ${result?.steps} steps.`);
  console.log(JSON.stringify(result?.finalResult, null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  // The graph holds everything that finished, whether the run succeeded or not.
  await offline?.server.close();
  await saveTrace(graph, tracePath);
  console.log(`Trace written to ${tracePath}`);
}
