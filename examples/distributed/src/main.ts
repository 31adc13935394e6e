import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveTrace } from '@taskgraph/core';
import { runExample } from './run-example.js';

// Runs the program on two worker processes through a redis-server of its own (or REDIS_URL), then
// writes the trace to the ignored out/ folder (or the path given as the first argument).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const tracePath = resolve(
  process.env.INIT_CWD ?? root,
  process.argv[2] ?? resolve(root, 'out/distributed.json'),
);

const { graph, output, workers, server } = await runExample();
try {
  console.log(`Ran on workers ${workers.join(' and ')} through Redis.`);
  if (server) console.log('Ran offline: replies from a local test server, not a real model.');
  console.log(output);
} finally {
  await server?.close();
  await mkdir(dirname(tracePath), { recursive: true });
  await saveTrace(graph, tracePath);
  console.log(`Trace written to ${tracePath}`);
}
