import { DEPTH_LIMIT } from '../model/depth-limit.js';
import { TaskGraphError } from '../model/errors.js';
import type { ForceOptions } from '../model/force-set.js';
import type { HumanQuestion } from '../model/task-kind.js';
import { FileTraceStore } from '../store/file-trace-store.js';
import type { ResponseCache } from '../store/response-cache.js';
import type { TraceStore } from '../store/trace-store.js';
import { InProcessExecutor } from './in-process-executor.js';
import type { LLMBudget } from './llm-budget.js';
import type { RunEventListener } from './run-events.js';
import type { TaskExecutor } from './task-executor.js';

export interface RunOptions {
  /** Function tasks running at once (async ones; sync functions finish before the next starts). Default: no limit. */
  concurrency?: number;
  /** LLM calls in flight at once, over all handlers and nested graphs. Default 8. */
  llmConcurrency?: number;
  /** Aborting it cancels the run: tasks in flight see their signal fire, and run() rejects with CANCELLED. */
  signal?: AbortSignal;
  /**
   * Keep going when a task fails: independent branches finish, dependents of the failed task are
   * skipped, and run() rejects at the end with the first failure. Default false: the first failure
   * aborts the tasks in flight.
   */
  continueOnError?: boolean;
  /** Further attempts of a function task that throws or times out, unless the task sets its own. Default 0. */
  retries?: number;
  /** Longest one attempt of a function task may take, in ms, unless the task sets its own. Default: no limit. */
  timeoutMs?: number;
  /** Delay before the first retry of a function task, doubled before each next one. Default 100 ms. */
  retryBackoffMs?: number;
  /** Most tasks in the run, nested graphs and created tasks included. Default 1,000,000. */
  maxTasks?: number;
  /**
   * Deepest nesting of graphs in graphs: the root graph is level 0, the graph of a graph task in it level 1.
   * Tasks created by tasks do not count (see `maxGenerations`). Default and most: DEPTH_LIMIT (100), the
   * depth a trace can hold.
   */
  maxDepth?: number;
  /**
   * Longest creation chain: a task added by a task added by a task… is one generation further from the
   * task that started the chain. Default: no limit (a graph may run indefinitely, one task adding the
   * next; a task that repeats an ancestor's work is stopped as a creation loop, and `maxTasks` bounds the rest).
   */
  maxGenerations?: number;
  /** Limits of LLM calls in flight at once per handler id or per model, beside `llmConcurrency`. */
  llmLimits?: { handlers?: Readonly<Record<string, number>>; models?: Readonly<Record<string, number>> };
  /** Tokens, cost and calls the run may spend on LLMs; checked before each call starts and after it. */
  budget?: LLMBudget;
  /** LLM results by response fingerprint, shared across runs and traces (see DiskResponseCache). */
  responseCache?: ResponseCache;
  /** LLM calls only from the stored trace: a call the memo cannot answer fails with REPLAY_MISS. */
  replayOnly?: boolean;
  /** Tasks and functions to re-run whatever the memo says (a new sample, a changed prompt template…). */
  force?: ForceOptions;
  /**
   * Where the trace is kept current while the run goes on: a file path (results reach an append-only
   * journal beside it, `<trace>.journal`, as they happen, and are folded into it atomically at the end)
   * or any TraceStore. Running again with the same trace resumes: what finished before a crash is
   * reused, and no LLM call is made twice.
   */
  trace?: string | TraceStore;
  /**
   * Answers the questions of human tasks in this process (tests, chat bots): return the answer, or
   * undefined to leave the question waiting. Without it, a run that reaches an unanswered human task lets
   * every other branch go on, then rejects with AWAITING_ANSWERS.
   */
  answer?: (question: HumanQuestion) => unknown;
  /** No person will answer: a human task takes its `default` answer at once, or fails with ANSWER_DEADLINE. */
  unattended?: boolean;
  /** Who runs the function and LLM calls. Default: an InProcessExecutor (this process, live values). */
  executor?: TaskExecutor;
  /**
   * Names the program that runs (the CLI gives its module's path). Stored in the trace's run info; a run
   * with a `trace` written under another program name fails with TRACE_OF_ANOTHER_PROGRAM instead of
   * replacing that program's trace.
   */
  program?: string;
  /** Progress and log events. */
  onEvent?: RunEventListener;
}

export interface ResolvedRunOptions {
  concurrency: number;
  llmConcurrency: number;
  signal: AbortSignal | undefined;
  continueOnError: boolean;
  retries: number;
  timeoutMs: number | undefined;
  retryBackoffMs: number;
  maxTasks: number;
  maxDepth: number;
  maxGenerations: number;
  replayOnly: boolean;
  llmLimits: { handlers?: Readonly<Record<string, number>>; models?: Readonly<Record<string, number>> };
  budget: LLMBudget;
  responseCache: ResponseCache | undefined;
  force: ForceOptions;
  trace: TraceStore | undefined;
  executor: TaskExecutor;
  answer: ((question: HumanQuestion) => unknown) | undefined;
  unattended: boolean;
  program: string | undefined;
  onEvent: RunEventListener | undefined;
}

export function resolveRunOptions(options: RunOptions): ResolvedRunOptions {
  if (options === null || typeof options !== 'object') {
    throw new TaskGraphError('INVALID_ARGUMENT', 'TaskGraph.run: `options` must be an object.');
  }
  return {
    concurrency: positive('concurrency', options.concurrency, Number.POSITIVE_INFINITY),
    llmConcurrency: positive('llmConcurrency', options.llmConcurrency, 8),
    signal: options.signal,
    continueOnError: options.continueOnError ?? false,
    retries: options.retries === undefined ? 0 : positive('retries', options.retries + 1, 1) - 1,
    timeoutMs: options.timeoutMs === undefined ? undefined : positive('timeoutMs', options.timeoutMs, 1),
    retryBackoffMs:
      options.retryBackoffMs === undefined
        ? 100
        : positive('retryBackoffMs', options.retryBackoffMs + 1, 1) - 1,
    maxTasks: positive('maxTasks', options.maxTasks, 1_000_000),
    maxDepth: depthOption(options.maxDepth),
    maxGenerations: positive('maxGenerations', options.maxGenerations, Number.POSITIVE_INFINITY),
    replayOnly: options.replayOnly ?? false,
    llmLimits: llmLimits(options.llmLimits),
    budget: options.budget ?? {},
    responseCache: options.responseCache,
    force: options.force ?? {},
    trace: traceOption(options.trace),
    executor: executorOption(options.executor),
    answer: answerOption(options.answer),
    unattended: options.unattended ?? false,
    program: options.program,
    onEvent: options.onEvent,
  };
}

/** `maxDepth`: at most DEPTH_LIMIT, so the run never writes a trace it cannot read back. */
function depthOption(value: number | undefined): number {
  const depth = positive('maxDepth', value, DEPTH_LIMIT);
  if (depth <= DEPTH_LIMIT) return depth;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `TaskGraph.run: \`maxDepth\` may be at most ${DEPTH_LIMIT}, the depth limit of traces (got ${String(value)}).`,
  );
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `TaskGraph.run: \`${name}\` must be an integer from 1 up, or Infinity (got ${String(value)}).`,
  );
}

function traceOption(trace: RunOptions['trace']): TraceStore | undefined {
  if (trace === undefined) return undefined;
  if (typeof trace === 'string' && trace !== '') return new FileTraceStore(trace);
  const store = trace as Partial<TraceStore> | null;
  if (
    store &&
    typeof store === 'object' &&
    typeof store.load === 'function' &&
    typeof store.record === 'function'
  )
    return trace as TraceStore;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `TaskGraph.run: \`trace\` must be a file path or a TraceStore (got ${String(trace)}).`,
  );
}

function answerOption(answer: RunOptions['answer']): ResolvedRunOptions['answer'] {
  if (answer === undefined || typeof answer === 'function') return answer;
  throw new TaskGraphError('INVALID_ARGUMENT', 'TaskGraph.run: `answer` must be a function.');
}

function executorOption(executor: TaskExecutor | undefined): TaskExecutor {
  if (executor === undefined) return new InProcessExecutor();
  if (executor && typeof executor.execute === 'function') return executor;
  throw new TaskGraphError('INVALID_ARGUMENT', 'TaskGraph.run: `executor` must have an `execute` method.');
}

function llmLimits(limits: RunOptions['llmLimits']): ResolvedRunOptions['llmLimits'] {
  for (const [kind, table] of Object.entries(limits ?? {})) {
    for (const [key, value] of Object.entries(table ?? {})) positive(`llmLimits.${kind}.${key}`, value, 1);
  }
  return limits ?? {};
}
