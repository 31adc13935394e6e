import { randomUUID } from 'node:crypto';
import type { ExecuteEnv, StageCall, StageOutcome, TaskExecutor } from '@taskgraph/core';
import { TaskGraph, TaskGraphError } from '@taskgraph/core';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { type BullMQErrorCode, RedisUnavailableError } from './errors.js';
import { type QueueAddress, type QueueNames, queueNames } from './queue-names.js';
import { checkRedisUrl, redisClient } from './redis-client.js';
import { RedisWatch } from './redis-watch.js';
import { callToJob, dataToOutcome, type JobData, type OutcomeData } from './wire-format.js';

const API = 'BullMQExecutor';

export interface BullMQExecutorOptions extends QueueAddress {
  /**
   * How long Redis may stay silent (down, unreachable, wrong URL) before every call in flight and every
   * new one fails with REDIS_UNAVAILABLE, in ms (default 10,000).
   */
  redisTimeoutMs?: number;
}

interface Pending {
  readonly call: StageCall;
  readonly signal: AbortSignal;
  readonly lane: Lane;
  readonly resolve: (outcome: StageOutcome) => void;
}

interface Lane {
  readonly queue: Queue<JobData, OutcomeData>;
  readonly events: QueueEvents;
}

interface Connected {
  readonly redis: Redis;
  readonly functions: Lane;
  readonly llm: Lane;
  readonly watch: RedisWatch;
}

/**
 * Runs stage calls on workers of other processes and machines through BullMQ: each call becomes a job
 * of the function or the LLM queue, and its outcome comes back as the job's result. Values cross in the
 * trace's encoding, errors as ErrorData, created tasks as trace records; the scheduler stays the only
 * writer of the trace. Cancelling a run removes its queued jobs and aborts its running ones. Connects on
 * the first call; `close` when done. Several runs (and schedulers) may share the same workers.
 *
 * ```ts
 * const executor = new BullMQExecutor({ redis: 'redis://127.0.0.1:6379' });
 * try { await graph.run(registry, { executor }); } finally { await executor.close(); }
 * ```
 */
export class BullMQExecutor implements TaskExecutor {
  readonly #options: BullMQExecutorOptions;
  readonly #names: QueueNames;
  readonly #timeoutMs: number;
  /** Names this executor's jobs and its key in Redis. */
  readonly #id = randomUUID();
  readonly #pending = new Map<string, Pending>();
  readonly #bySignal = new Map<AbortSignal, Set<string>>();
  #sequence = 0;
  #connected: Promise<Connected> | undefined;
  #closed = false;

  constructor(options: BullMQExecutorOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${API}: options must be an object with \`redis\`, a Redis URL.`,
      );
    }
    const timeout = options.redisTimeoutMs;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${API}: \`redisTimeoutMs\` must be a positive number of ms (got ${JSON.stringify(timeout)}).`,
      );
    }
    checkRedisUrl(options.redis, API);
    this.#options = options;
    this.#names = queueNames(options);
    this.#timeoutMs = timeout ?? 10_000;
  }

  async execute(call: StageCall, env: ExecuteEnv): Promise<StageOutcome> {
    if (env.signal.aborted) return cancelled(call);
    if (this.#closed) {
      return failed(new TaskGraphError('INVALID_ARGUMENT', `${API}.execute: the executor is closed.`));
    }
    let connected: Connected;
    try {
      connected = await this.#connect();
    } catch (error) {
      return failed(error);
    }
    const broken = connected.watch.failure;
    if (broken) return failed(broken);
    if (env.signal.aborted) return cancelled(call);
    const id = `${this.#id}-${++this.#sequence}`;
    const lane = call.type === 'llm' ? connected.llm : connected.functions;
    const outcome = new Promise<StageOutcome>((resolve) => {
      this.#pending.set(id, { call, signal: env.signal, lane, resolve });
    });
    this.#track(env.signal, id);
    lane.queue
      .add(call.type, callToJob(call), {
        jobId: id,
        removeOnComplete: true,
        removeOnFail: { age: 86_400 },
      })
      .catch((error: unknown) => this.#settle(id, failed(error)));
    return outcome;
  }

  /** Closes the connections; calls still pending settle as cancelled. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, pending] of this.#pending) this.#settle(id, cancelled(pending.call));
    const connecting = this.#connected;
    this.#connected = undefined;
    const connected = await connecting?.catch(() => undefined);
    if (!connected) return;
    await disconnect(connected, this.#names.client(this.#id));
  }

  #connect(): Promise<Connected> {
    this.#connected ??= this.#open().catch((error: unknown) => {
      this.#connected = undefined;
      throw error;
    });
    return this.#connected;
  }

  async #open(): Promise<Connected> {
    const { redis: url } = this.#options;
    const redis = redisClient(url, API);
    redis.on('error', () => {}); // the watch reports an unreachable Redis, with its URL
    const prefix = this.#names.prefix;
    const clientKey = this.#names.client(this.#id);
    const lanes: Lane[] = [];
    const ready = (async () => {
      await redis.set(clientKey, process.pid, 'EX', 86_400);
      for (const name of [this.#names.functions, this.#names.llm]) {
        // Events are read from the stream's present end, so no job's completion is missed.
        const last = (await redis.xrevrange(`${prefix}:${name}:events`, '+', '-', 'COUNT', 1))[0]?.[0];
        const queue = new Queue<JobData, OutcomeData>(name, {
          connection: redis,
          prefix,
          streams: { events: { maxLen: 100_000 } },
        });
        const events = new QueueEvents(name, { connection: redis, prefix, lastEventId: last ?? '0-0' });
        queue.on('error', () => {});
        events.on('error', () => {});
        events.on('completed', ({ jobId, returnvalue }) => this.#completed(jobId, returnvalue));
        events.on('failed', ({ jobId, failedReason }) => this.#failed(jobId, failedReason));
        lanes.push({ queue: queue as Queue<JobData, OutcomeData>, events });
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError(url, this.#timeoutMs)), this.#timeoutMs);
    });
    try {
      await Promise.race([ready, timedOut]);
    } catch (error) {
      ready.catch(() => {});
      await disconnect({ redis, lanes }, undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const watch = new RedisWatch(redis, {
      url,
      key: clientKey,
      timeoutMs: this.#timeoutMs,
      onFailure: (error) => {
        for (const id of [...this.#pending.keys()]) this.#settle(id, failed(error));
      },
    });
    return { redis, functions: lanes[0] as Lane, llm: lanes[1] as Lane, watch };
  }

  #completed(jobId: string, result: unknown): void {
    if (!this.#pending.has(jobId)) return;
    let outcome: StageOutcome;
    try {
      outcome = dataToOutcome(result, () => new TaskGraph());
    } catch (error) {
      outcome = failed(error);
    }
    this.#settle(jobId, outcome);
  }

  #failed(jobId: string, reason: string): void {
    const pending = this.#pending.get(jobId);
    if (!pending) return;
    const taskPath = pending.call.taskPath;
    const error = new TaskGraphError<BullMQErrorCode>(
      'JOB_FAILED',
      `${API}: the job of task "${taskPath.join(' > ')}" failed in BullMQ: ${reason}. A job that stalls too often (its workers die) fails so; raise the workers' maxStalledCount if that is expected.`,
      { taskPath },
    );
    this.#settle(jobId, failed(error));
  }

  #settle(id: string, outcome: StageOutcome): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    const ids = this.#bySignal.get(pending.signal);
    ids?.delete(id);
    if (ids?.size === 0) this.#bySignal.delete(pending.signal);
    pending.resolve(outcome);
  }

  #track(signal: AbortSignal, id: string): void {
    let ids = this.#bySignal.get(signal);
    if (!ids) {
      const created = new Set<string>();
      ids = created;
      this.#bySignal.set(signal, created);
      signal.addEventListener('abort', () => void this.#cancel(created), { once: true });
    }
    ids.add(id);
  }

  /** The run stopped: its queued jobs are removed, its running ones asked to abort; all settle as cancelled. */
  async #cancel(ids: Set<string>): Promise<void> {
    const jobs = [...ids].flatMap((id) => {
      const pending = this.#pending.get(id);
      return pending ? [{ id, pending }] : [];
    });
    const connected = await this.#connected?.catch(() => undefined);
    if (connected && !connected.watch.failure && jobs.length > 0) {
      const work = (async () => {
        const removed = await Promise.all(
          jobs.map(({ id, pending }) => pending.lane.queue.remove(id).catch(() => 0)),
        );
        const running = jobs.filter((_, i) => removed[i] !== 1).map(({ id }) => id);
        if (running.length > 0) await connected.redis.publish(this.#names.cancel, JSON.stringify(running));
      })();
      await Promise.race([work.catch(() => {}), delay(this.#timeoutMs)]);
    }
    for (const { id, pending } of jobs) this.#settle(id, cancelled(pending.call));
  }
}

async function disconnect(
  connected: { redis: Redis; lanes?: Lane[]; functions?: Lane; llm?: Lane; watch?: RedisWatch },
  clientKey: string | undefined,
): Promise<void> {
  connected.watch?.stop();
  const lanes = connected.lanes ?? [connected.functions, connected.llm].filter((l): l is Lane => !!l);
  const { redis } = connected;
  const healthy = redis.status === 'ready';
  // BullMQ's close waits for Redis; a Redis that is gone must not hold the caller.
  const closing = Promise.all(
    lanes.flatMap((lane) => [lane.events.close(), lane.queue.close()]).map((p) => p.catch(() => {})),
  );
  await Promise.race([closing, delay(healthy ? 5_000 : 200)]);
  if (healthy && clientKey) await redis.del(clientKey).catch(() => {});
  if (healthy) await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

function failed(error: unknown): StageOutcome {
  return { ok: false, error, inputRead: false, created: [], attempts: 1 };
}

function cancelled(call: StageCall): StageOutcome {
  const error = new TaskGraphError(
    'CANCELLED',
    `${API}: the call of task "${call.taskPath.join(' > ')}" was cancelled with its run.`,
    { taskPath: call.taskPath },
  );
  return { ok: false, error, inputRead: false, created: [], attempts: 1 };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
