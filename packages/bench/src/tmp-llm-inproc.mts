import { TaskGraph } from '@taskgraph/core';
import { startTestServer } from '@taskgraph/openai/testing';
import { mulberry32 } from './mulberry32.js';

const server = await startTestServer();
process.env.BENCH_LLM_URL = server.url;
const { registry } = await import('./distributed-program.js');
const n = 2000;
const random = mulberry32(12);
const latency = new Map<string, number>();
const deps: number[][] = [];
for (let i = 0; i < n; i++) {
  latency.set(`l${i}`, 50 + Math.floor(random() * 151));
  const mine = new Set<number>();
  for (let k = 0; k < 2; k++)
    if (i > 0 && random() < 0.3) mine.add(Math.max(0, i - 1 - Math.floor(random() * 200)));
  deps.push([...mine].sort((a, b) => a - b));
}
server.setDefaultReply((request) => {
  const id = /^(l\d+) after/.exec(request.lastUserText)?.[1] ?? '';
  return { fault: 'delay', ms: latency.get(id) ?? 100, reply: { content: `done ${request.lastUserText}` } };
});
for (let r = 0; r < 2; r++) {
  const graph = new TaskGraph();
  for (let i = 0; i < n; i++)
    graph.addLLM({
      id: `l${i}`,
      prompt: 'prompt',
      deps: deps[i]!.map((d) => `l${d}`),
      params: { model: 'bench-model', salt: String(r) },
    });
  const t = performance.now();
  const c0 = process.cpuUsage();
  await graph.run(registry(), { llmConcurrency: 64, maxTasks: Infinity });
  const cpu = process.cpuUsage(c0);
  console.log(
    'in-process ms',
    Math.round(performance.now() - t),
    'cpu ms',
    Math.round((cpu.user + cpu.system) / 1000),
  );
}
await server.close();
