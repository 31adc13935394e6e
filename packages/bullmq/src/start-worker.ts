import type {
  ExecuteEnv,
  FunctionCall,
  FunctionRegistry,
  LLMCall,
  LLMResult,
  StageOutcome,
} from '@taskgraph/core';
import { InProcessExecutor, TaskGraphError } from '@taskgraph/core';
import { type Job, Worker } from 'bullmq';
import type { BullMQErrorCode } from './errors.js';
import { GlobalLimit } from './global-limit.js';
import { type QueueAddress, queueNames } from './queue-names.js';
import { RateLimiter } from './rate-limiter.js';
import { RecentIds } from './recent-ids.js';
import { redisClient } from './redis-client.js';
import { ResponseStore } from './response-store.js';
import { type JobData, jobToCall, type OutcomeData, outcomeToData } from './wire-format.js';

const API = 'startWorker';

export interface WorkerOptions extends QueueAddress {
  /** Function calls this worker runs at once (default 4; 1 suits CPU-bound functions). */
  concurrency?: number;
  /** LLM calls this worker has in flight at once (default 64). */
  llmConcurrencyPerWorker?: number;
  /**
   * LLM calls in flight at once across all workers of the queue, held in Redis as leases that expire
   * with a dead worker's lock. Every worker that passes it sets it; leave it out to keep what is set.
   */
  llmConcurrency?: number;
  /** Requests per minute of each model (by `params.model`), counted in Redis across all workers. */
  requestsPerMinute?: Readonly<Record<string, number>>;
  /** How long a job's lock lasts without renewal, in ms (default 30,000): a killed worker's jobs are retried after it. */
  lockDurationMs?: number;
  /** How often the worker looks for stalled jobs, in ms (default: the lock duration). */
  stalledIntervalMs?: number;
  /** How many times a job may stall (its worker dies) before it fails (default 5). */
  maxStalledCount?: number;
  /** How long received LLM responses are kept in Redis, in seconds (default one day). */
  responseTtlSeconds?: number;
  /** Errors of the worker's connections and jobs (default: none reported). */
  onError?: (error: Error) => void;
}

/** A running worker: call `close` to finish the jobs in hand and stop. */
export interface TaskGraphWorker {
  /** Finishes the jobs in hand (or, with `force`, aborts them) and closes the connections. */
  close(force?: boolean): Promise<void>;
}

/**
 * Serves stage calls from the queue with `registry` (the program's registry: the same module the
 * scheduler runs). Function calls run with the in-process executor; an LLM call first looks for its
 * response in Redis, claims its fingerprint, waits for a slot of its model's rate, calls, and keeps the
 * response in Redis before its job completes. Resolves once the worker is connected.
 */
export async function startWorker(
  registry: FunctionRegistry,
  options: WorkerOptions,
): Promise<TaskGraphWorker> {
  checkCount(options.concurrency, 'concurrency');
  checkCount(options.llmConcurrencyPerWorker, 'llmConcurrencyPerWorker');
  checkCount(options.llmConcurrency, 'llmConcurrency');
  checkCount(options.lockDurationMs, 'lockDurationMs');
  const names = queueNames(options);
  const onError = options.onError ?? (() => {});
  const connection = redisClient(options.redis, API);
  connection.on('error', onError);
  const subscriber = connection.duplicate();
  subscriber.on('error', onError);
  const lockDuration = options.lockDurationMs ?? 30_000;
  const store = new ResponseStore(connection, names, {
    ...(options.responseTtlSeconds === undefined ? {} : { ttlSeconds: options.responseTtlSeconds }),
    claimMs: lockDuration,
  });
  const limits: LLMLimits = {
    global: new GlobalLimit(
      connection,
      { leases: names.llmLeases, limit: names.llmLimit },
      { leaseMs: lockDuration },
    ),
    rate: new RateLimiter(connection, names, options.requestsPerMinute ?? {}),
  };
  const executor = new InProcessExecutor();
  const cancelled = new RecentIds(10_000);
  const idle = new AbortController().signal;

  const serve = async (job: Job<JobData, OutcomeData>, signal: AbortSignal | undefined) => {
    const abort = signal ?? idle;
    const env: ExecuteEnv = { registry, signal: abort };
    if (job.id !== undefined && cancelled.has(job.id)) return cancelledOutcome(job);
    let outcome: StageOutcome;
    try {
      const call = jobToCall(job.data);
      outcome =
        call.type === 'function'
          ? await runFunction(call, env, executor)
          : await runLLM(call, env, executor, store, limits);
    } catch (error) {
      outcome = { ok: false, error, inputRead: false, created: [], attempts: 1 };
    }
    return outcomeToData(outcome);
  };

  const common = {
    connection,
    prefix: names.prefix,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? lockDuration,
    maxStalledCount: options.maxStalledCount ?? 5,
    removeOnComplete: { age: 3_600, count: 100_000 },
    removeOnFail: { age: 86_400 },
  };
  const workers = [
    new Worker<JobData, OutcomeData>(names.functions, (job, _token, signal) => serve(job, signal), {
      ...common,
      concurrency: options.concurrency ?? 4,
    }),
    new Worker<JobData, OutcomeData>(names.llm, (job, _token, signal) => serve(job, signal), {
      ...common,
      concurrency: options.llmConcurrencyPerWorker ?? 64,
    }),
  ];
  for (const worker of workers) worker.on('error', onError);

  await subscriber.subscribe(names.cancel);
  subscriber.on('message', (_channel, message: string) => {
    let ids: unknown;
    try {
      ids = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids) {
      if (typeof id !== 'string') continue;
      cancelled.add(id);
      for (const worker of workers) worker.cancelJob(id, 'the run was cancelled');
    }
  });
  if (options.llmConcurrency !== undefined) await limits.global.set(options.llmConcurrency);
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    async close(force = false) {
      await Promise.all(workers.map((worker) => worker.close(force)));
      subscriber.disconnect();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

interface LLMLimits {
  global: GlobalLimit;
  rate: RateLimiter;
}

async function runFunction(
  call: FunctionCall,
  env: ExecuteEnv,
  executor: InProcessExecutor,
): Promise<StageOutcome> {
  const def = env.registry.find(call.fn);
  if (def && def.version !== call.version) {
    const error = new TaskGraphError<BullMQErrorCode>(
      'WORKER_PROGRAM_MISMATCH',
      `startWorker: task "${call.taskPath.join(' > ')}" calls function "${call.fn}" at version ${JSON.stringify(call.version) ?? 'none'}, and this worker holds version ${JSON.stringify(def.version) ?? 'none'}. Run the workers with the same program module as the scheduler.`,
      { taskPath: call.taskPath },
    );
    return { ok: false, error, inputRead: false, created: [], attempts: 1 };
  }
  return executor.execute(call, env);
}

async function runLLM(
  call: LLMCall,
  env: ExecuteEnv,
  executor: InProcessExecutor,
  store: ResponseStore,
  limits: LLMLimits,
): Promise<StageOutcome> {
  const model = call.request.params.model;
  const { result } = await store.getOrCall(call.fingerprint, env.signal, () =>
    limits.global.run(env.signal, async () => {
      await limits.rate.take(typeof model === 'string' ? model : undefined, env.signal);
      const outcome = await executor.execute(call, env);
      if (!outcome.ok) throw outcome.error;
      return outcome.value as LLMResult;
    }),
  );
  return { ok: true, value: result, inputRead: false, created: [], attempts: 1 };
}

function cancelledOutcome(job: Job<JobData, OutcomeData>): OutcomeData {
  const error = new TaskGraphError(
    'CANCELLED',
    `startWorker: the call of task "${(job.data.taskPath ?? []).join(' > ')}" was not started: its run was cancelled.`,
  );
  return outcomeToData({ ok: false, error, inputRead: false, created: [], attempts: 0 });
}

function checkCount(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${API}: \`${name}\` must be a whole number of at least 1 (got ${JSON.stringify(value) ?? String(value)}).`,
    );
  }
}
