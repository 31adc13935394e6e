import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BullMQExecutor } from '@taskgraph/bullmq';
import { startRedisServer } from '@taskgraph/bullmq/testing';
import type { TaskGraph } from '@taskgraph/core';
import { startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { graph, registry, TEXT } from './program.js';

const PROGRAM = join(dirname(fileURLToPath(import.meta.url)), 'program.ts');
const CLI = join(dirname(fileURLToPath(import.meta.resolve('@taskgraph/cli'))), 'cli.ts');

export interface ExampleRun {
  graph: TaskGraph;
  output: unknown;
  /** The process ids of the two workers. */
  workers: number[];
  /** The offline LLM server (undefined online). */
  server: TestServer | undefined;
}

/**
 * Runs the example on this machine: a redis-server of its own (or REDIS_URL), two `taskgraph worker`
 * processes, and this process as the scheduler. Offline (no OPENAI_API_KEY), the LLM is a local test
 * server. Everything it started is stopped before it resolves; close `server` when given.
 */
export async function runExample(): Promise<ExampleRun> {
  const redis = process.env.REDIS_URL ? undefined : await startRedisServer();
  const url = process.env.REDIS_URL ?? (redis?.url as string);
  const server = process.env.OPENAI_API_KEY
    ? undefined
    : await startTestServer({
        respond: (request) => `Summary: ${request.lastUserText.split('\n\n')[1]?.split(/[,;.]/)[0] ?? ''}.`,
      });
  if (server) process.env.EXAMPLE_LLM_URL = server.url;
  const workers: ChildProcess[] = [];
  const executor = new BullMQExecutor({ redis: url });
  try {
    workers.push(...(await Promise.all([startWorker(url), startWorker(url)])));
    const run = graph({ text: TEXT });
    await run.run(registry(), { executor, llmConcurrency: 16 });
    // The joined summaries come from a task that a worker added through ctx.
    const output = run.task('split/joined')?.output?.value;
    return { graph: run, output, workers: workers.map((w) => w.pid as number), server };
  } catch (error) {
    await server?.close();
    throw error;
  } finally {
    await executor.close();
    await Promise.all(workers.map(stop));
    await redis?.stop();
  }
}

/** `taskgraph worker src/program.ts --redis <url>`, resolved once it says it is ready. */
function startWorker(redis: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', CLI, 'worker', PROGRAM, '--redis', redis],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Worker ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
