import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { graph, registry } from './graph.js';
import { startOfflineHandler } from './offline-handler.js';

// Written to the ignored out/ folder, so that the demo leaves the checkout as it was; another path as the
// first argument (`pnpm demo traces/quickstart.json` re-records the committed trace).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const tracePath = resolve(
  process.env.INIT_CWD ?? root,
  process.argv[2] ?? resolve(root, 'out/quickstart.json'),
);

const online = Boolean(process.env.OPENAI_API_KEY);
const offline = online ? undefined : await startOfflineHandler();
registry.addHandler(
  offline?.handler ?? new OpenAIHandler({ defaultModel: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' }),
);
await mkdir(dirname(tracePath), { recursive: true });
try {
  const output = await graph.run(registry);
  console.log(
    online
      ? 'Ran against the OpenAI API.'
      : 'Ran offline: canned replies from a local test server, not a real model.',
  );
  console.log(JSON.stringify(output, null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  // The graph holds everything that finished, whether the run succeeded or not.
  await offline?.server.close();
  await saveTrace(graph, tracePath);
  console.log(`Trace written to ${tracePath}`);
}
