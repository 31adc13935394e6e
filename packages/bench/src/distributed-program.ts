/**
 * The program the distributed bench runs on its workers and its scheduler: W3's `sum`, a CPU-bound
 * function doing a fixed amount of work (`ctx.args` rounds of hashing), and an OpenAI handler on the
 * test server at BENCH_LLM_URL (answers of 50 to 200 ms, by task).
 */
import { createHash } from 'node:crypto';
import { FunctionRegistry } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { nodeStep } from './node-step.js';

export function registry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  registry.register('sum', (_ctx, ...deps: number[]) => nodeStep(deps));
  registry.register('cpu', (ctx) => cpuWork(Number(ctx.args)));
  registry.register('prompt', (ctx, ...deps: string[]) => `${ctx.taskId} after ${deps.length}`);
  const url = process.env.BENCH_LLM_URL;
  if (url) {
    registry.addHandler(
      new OpenAIHandler({
        apiKey: 'bench',
        baseURL: url,
        defaultModel: 'bench-model',
        retry: { maxRetries: 0 },
      }),
    );
  }
  return registry;
}

/** `rounds` SHA-256 hashes chained: the same work on every machine, whatever else runs there. */
export function cpuWork(rounds: number): string {
  let digest = 'seed';
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest('hex');
  return digest.slice(0, 16);
}
