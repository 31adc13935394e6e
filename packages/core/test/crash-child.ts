/**
 * Runs a graph of LLM and function tasks with a trace file, for the crash test. Every LLM request is
 * logged (synchronously, so a kill cannot lose it) before it is answered, after a random delay.
 * argv: <trace path> <request log path> <label>
 */
import { appendFileSync } from 'node:fs';
import { FunctionRegistry, TaskGraph } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';

const [tracePath, logPath, label] = process.argv.slice(2) as [string, string, string];
const registry = new FunctionRegistry();
registry.addHandler(
  new ScriptedHandler({
    reply: async (request, options) => {
      appendFileSync(logPath, `${label} ${options.taskPath.join('>')}\n`);
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 50));
      return `answer to ${String(request.prompt)}`;
    },
  }),
);
const prompt = registry.register(
  'prompt',
  (ctx, ...deps: string[]) => `${ctx.taskId}(${deps.map((d) => d.length).join(',')})`,
);
const combine = registry.register('combine', (_ctx, ...parts: string[]) => parts.join(' | '));
const spawn = registry.register('spawn', (ctx, seed: string) => {
  for (let i = 0; i < 3; i++)
    ctx.addLLM({ id: `child-${i}`, prompt, deps: [`llm-${i}`], handler: 'scripted' });
  return seed.length;
});

const graph = new TaskGraph();
const layer1 = Array.from({ length: 12 }, (_, i) =>
  graph.addLLM({ id: `llm-${i}`, prompt, handler: 'scripted' }),
);
const layer2 = Array.from({ length: 6 }, (_, i) =>
  graph.addLLM({ id: `mid-${i}`, prompt, deps: [layer1[2 * i]!, layer1[2 * i + 1]!], handler: 'scripted' }),
);
graph.addFunction({ id: 'spawn', fn: spawn, deps: [layer1[0]!] });
graph.setOutput(graph.addFunction({ id: 'all', fn: combine, deps: layer2 }));
const output = await graph.run(registry, { trace: tracePath, llmConcurrency: 3 });
process.stdout.write(JSON.stringify(output));
