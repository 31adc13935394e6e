import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { LimitFunction } from 'p-limit';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { LimitExceededError, TaskGraphError } from '../model/errors.js';
import { ForceSet } from '../model/force-set.js';
import type { LLMResult } from '../model/llm-handler.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { RunUsage } from '../model/run-info.js';
import type { HumanQuestion } from '../model/task-kind.js';
import type { TraceStore } from '../store/trace-store.js';
import { InProcessExecutor } from './in-process-executor.js';
import { BudgetGuard } from './llm-budget.js';
import type { RunEvent } from './run-events.js';
import type { ResolvedRunOptions } from './run-options.js';
import type { AttemptPolicy, ExecuteEnv, TaskExecutor } from './task-executor.js';

/** Epoch ms at which performance.now() counts from; read once. */
export const TIME_ORIGIN = performance.timeOrigin;

/** A failure of a task, as the run records it. */
export interface TaskFailure {
  taskPath: string[];
  error: unknown;
}

/** What the root graph and all its nested graphs share during one run: registry, limits, abort, failures. */
export class SharedRun {
  readonly controller = new AbortController();
  readonly signal: AbortSignal = this.controller.signal;
  /** Undefined when function tasks have no limit: they are then called without a queue. */
  readonly functionLimit: PriorityLimit | undefined;
  readonly llmLimit: PriorityLimit;
  readonly force: ForceSet;
  readonly budget: BudgetGuard;
  readonly #handlerLimits = new Map<string, LimitFunction>();
  readonly #modelLimits = new Map<string, LimitFunction>();
  /** Where the run keeps its trace while it goes on, when it keeps one. */
  store: TraceStore | undefined;
  /**
   * Epoch ms the times of the store's lines count from: the run's start, its committed `run.startedAt`.
   * NaN until set, a number that is not a small integer: setting it then keeps the object's layout (a
   * small integer turned into an epoch would change it, and slow down every later run in the process).
   */
  storeOrigin = Number.NaN;
  readonly executor: TaskExecutor;
  /**
   * Runs the calls of functions registered `local` when the run's executor is another one (it may run
   * them on other processes); undefined when the run's executor runs in process already.
   */
  readonly localExecutor: TaskExecutor | undefined;
  /** What the executor gets beside each call: the registry and the run's signal. */
  readonly executeEnv: ExecuteEnv;
  /** The attempt policy of a function call whose task sets none: the run's. */
  readonly attempts: AttemptPolicy;
  readonly failures: TaskFailure[] = [];
  /** Questions of human tasks left without an answer, in the order they were asked. */
  readonly waiting: HumanQuestion[] = [];
  /** Whether the caller's signal stopped the run (then CANCELLED is what the run rejects with). */
  cancelledByCaller = false;
  /** Why the run stopped early (a failure, a limit, the caller's signal); undefined while it goes on. */
  stopReason: TaskGraphError | undefined;
  taskCount = 0;
  /** LLM calls made in this run (reused responses are not counted). */
  readonly usage: RunUsage = {
    llmCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    unknownCostCalls: 0,
  };
  /** Descriptions of the LLM handlers the run called. */
  readonly handlers: Record<string, string> = {};
  /** Runs of graphs in progress, told when the run stops so that they can settle. */
  readonly active = new Set<{ onStop(): void }>();
  /**
   * The time a task just finished, kept for the next task that starts in the same stretch of scheduler
   * code (see `now`); NaN when there is none.
   */
  #lastFinish = Number.NaN;

  constructor(
    readonly registry: FunctionRegistry,
    readonly options: ResolvedRunOptions,
  ) {
    // Every call in flight may listen to the run's signal (an HTTP request does): no leak warning past 10.
    setMaxListeners(0, this.signal);
    this.functionLimit = Number.isFinite(options.concurrency)
      ? priorityLimit(options.concurrency)
      : undefined;
    this.llmLimit = priorityLimit(options.llmConcurrency);
    this.force = new ForceSet(options.force);
    this.budget = new BudgetGuard(options.budget);
    this.executor = options.executor;
    this.localExecutor = options.executor instanceof InProcessExecutor ? undefined : new InProcessExecutor();
    const { onEvent } = options;
    this.executeEnv = onEvent
      ? {
          registry,
          signal: this.signal,
          onDelta: (call, text) =>
            onEvent({ type: 'llm:delta', taskPath: [...call.taskPath], handler: call.handler, text }),
        }
      : { registry, signal: this.signal };
    this.attempts = {
      retries: options.retries,
      timeoutMs: options.timeoutMs,
      backoffMs: options.retryBackoffMs,
    };
  }

  /**
   * Epoch ms now, for a task that starts. A task that starts right after another finished, with only the
   * scheduler's own code between (no task's code, no listener, no store, no hashing), takes that finish
   * time instead of reading the clock again: they are microseconds apart, below what a trace records
   * (0.01 ms). So a chain of tasks reads the clock once per task, not twice.
   */
  startTime(): number {
    const at = this.#lastFinish;
    if (!Number.isNaN(at)) {
      this.#lastFinish = Number.NaN;
      return at;
    }
    return TIME_ORIGIN + performance.now();
  }

  /** Offers a task's finish time to the next task that starts (see `startTime`). */
  finishedAt(at: number): void {
    this.#lastFinish = at;
  }

  /** Forgets the last finish time: something that takes time, or runs code of the user's, comes next. */
  clockUsed(): void {
    this.#lastFinish = Number.NaN;
  }

  get emit(): ((event: RunEvent) => void) | undefined {
    return this.options.onEvent;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /**
   * Stops the run: nothing new starts, and tasks in flight see their signal fire, unless `abort` is
   * false (a spent budget lets the calls in flight, already paid for, finish).
   */
  stop(reason: TaskGraphError, abort = true): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    if (abort) this.controller.abort(reason);
    for (const run of [...this.active]) run.onStop();
  }

  /**
   * Runs an LLM call within the limit of its model, then of its handler, then the global one (the most
   * specific first, so a call waiting for its provider holds no global slot).
   */
  limitLLM<T>(
    handler: string,
    model: string | undefined,
    priority: number,
    call: () => Promise<T>,
  ): Promise<T> {
    const global = () => this.llmLimit(call, priority);
    const perHandler = limitFor(this.#handlerLimits, this.options.llmLimits.handlers, handler);
    const byHandler = perHandler ? () => perHandler(global) : global;
    const perModel =
      model === undefined ? undefined : limitFor(this.#modelLimits, this.options.llmLimits.models, model);
    return perModel ? perModel(byHandler) : byHandler();
  }

  /** Adds one LLM call to the run's usage totals. */
  recordCall(handler: string, description: string | undefined, result: LLMResult): void {
    const usage = this.usage;
    usage.llmCalls++;
    usage.promptTokens += result.usage?.promptTokens ?? 0;
    usage.completionTokens += result.usage?.completionTokens ?? 0;
    usage.totalTokens += result.usage?.totalTokens ?? 0;
    if (typeof result.costUsd === 'number') usage.costUsd += result.costUsd;
    else usage.unknownCostCalls++;
    this.handlers[handler] = description ?? handler;
  }

  /** The trace store could not keep a line: the run stops with TRACE_WRITE_FAILED. */
  storeFailed(name: string, error: unknown): void {
    this.stop(storeError(name, error));
  }

  recordFailure(taskPath: string[], error: unknown): void {
    this.failures.push({ taskPath, error });
  }

  /** Counts tasks toward `maxTasks`; throws LIMIT_EXCEEDED past it. */
  countTasks(count: number, at: { readonly taskPath: readonly string[] }): void {
    this.taskCount += count;
    if (this.taskCount > this.options.maxTasks) {
      const { taskPath } = at;
      throw new LimitExceededError({
        limit: 'maxTasks',
        message: `TaskGraph.run: the run has more than ${this.options.maxTasks} tasks (at "${taskPath.join(' > ')}"). Raise \`maxTasks\` if the graph is meant to be this large.`,
        taskPath,
      });
    }
  }
}

/** Runs at most `concurrency` functions at once; queued ones start by priority, highest first. */
export type PriorityLimit = <T>(fn: () => T | PromiseLike<T>, priority?: number) => Promise<T>;

function priorityLimit(concurrency: number): PriorityLimit {
  const queue = new PQueue({ concurrency });
  return <T>(fn: () => T | PromiseLike<T>, priority = 0) =>
    queue.add(fn, { priority, throwOnTimeout: true }) as Promise<T>;
}

function limitFor(
  limits: Map<string, LimitFunction>,
  configured: Readonly<Record<string, number>> | undefined,
  key: string,
): LimitFunction | undefined {
  const concurrency = configured?.[key];
  if (concurrency === undefined) return undefined;
  let limit = limits.get(key);
  if (!limit) {
    limit = pLimit(concurrency);
    limits.set(key, limit);
  }
  return limit;
}

/** A failure of the trace store `name` as TRACE_WRITE_FAILED naming the store (kept as it is when it is one). */
export function storeError(name: string, error: unknown): TaskGraphError {
  if (error instanceof TaskGraphError && error.code === 'TRACE_WRITE_FAILED') return error;
  return new TaskGraphError(
    'TRACE_WRITE_FAILED',
    `TaskGraph.run: the trace store "${name}" failed (${(error as Error)?.message ?? String(error)}).`,
    { cause: error },
  );
}
