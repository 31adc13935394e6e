import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { loadBullMQ, requestsPerMinute } from '../load-bullmq.js';
import { loadProgram } from '../load-program.js';
import { positiveInteger } from '../number-option.js';
import { untilInterrupted } from '../until-interrupted.js';

const API = 'taskgraph worker';

interface WorkerFlags {
  redis: string;
  queue?: string;
  prefix?: string;
  concurrency?: number;
  llmConcurrency?: number;
  llmPerWorker?: number;
  rpm?: Record<string, number>;
  lockMs?: number;
}

export function addWorkerCommand(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description(
      'Serves the stage calls of distributed runs: loads the program module (its registry) and runs the calls schedulers queue in Redis, until Ctrl-C or SIGTERM.',
    )
    .argument('<module>', 'the same program module the scheduler runs (its `registry` is used)')
    .requiredOption('--redis <url>', 'the Redis URL, such as redis://127.0.0.1:6379')
    .option('--queue <name>', 'the queue name schedulers use (default "taskgraph")')
    .option('--prefix <prefix>', 'the Redis key prefix (default "taskgraph")')
    .option(
      '--concurrency <n>',
      'function calls this worker runs at once (default 4; 1 for CPU-bound functions)',
      positiveInteger,
    )
    .option(
      '--llm-concurrency <n>',
      'LLM calls in flight at once across all workers of the queue, held in Redis',
      positiveInteger,
    )
    .option(
      '--llm-per-worker <n>',
      'LLM calls this worker has in flight at once (default 64)',
      positiveInteger,
    )
    .option(
      '--rpm <model=n>',
      'requests per minute of a model across all workers, counted in Redis (repeat for several models)',
      requestsPerMinute,
    )
    .option(
      '--lock-ms <ms>',
      "how long a job's lock lasts without renewal (default 30000): a killed worker's jobs are retried after it",
      positiveInteger,
    )
    .addHelpText(
      'after',
      `
Examples:
  taskgraph worker ./my-graph.ts --redis redis://127.0.0.1:6379 --concurrency 2
  taskgraph run ./my-graph.ts --executor bullmq --redis redis://127.0.0.1:6379
See docs/distributed.md.`,
    )
    .action(async (specifier: string, flags: WorkerFlags) => {
      const bullmq = await loadBullMQ(API);
      const loaded = await loadProgram(specifier, API, false);
      let worker: Awaited<ReturnType<typeof bullmq.startWorker>> | undefined;
      try {
        const options: Parameters<typeof bullmq.startWorker>[1] = {
          redis: flags.redis,
          onError: (error) => context.io.err(`${API}: ${error.message}`),
        };
        if (flags.queue !== undefined) options.queue = flags.queue;
        if (flags.prefix !== undefined) options.prefix = flags.prefix;
        if (flags.concurrency !== undefined) options.concurrency = flags.concurrency;
        if (flags.llmConcurrency !== undefined) options.llmConcurrency = flags.llmConcurrency;
        if (flags.llmPerWorker !== undefined) options.llmConcurrencyPerWorker = flags.llmPerWorker;
        if (flags.rpm !== undefined) options.requestsPerMinute = flags.rpm;
        if (flags.lockMs !== undefined) options.lockDurationMs = flags.lockMs;
        worker = await bullmq.startWorker(loaded.registry, options);
        context.io.err(`Worker ready (pid ${process.pid}): serving ${specifier} from ${flags.redis}`);
        await untilInterrupted();
        context.io.err('Worker stopping: finishing the jobs in hand.');
      } finally {
        await worker?.close();
        await loaded.close();
      }
    });
}
