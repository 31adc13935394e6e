import type { Lineage } from '../model/created-task-id.js';
import type { JsonValue } from '../model/json-value.js';
import type { LLMRequest } from '../model/llm-handler.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { Stage, Task } from '../model/task.js';

/**
 * Runs stage calls for a run. The scheduler takes every memo decision, applies limits and priorities,
 * journals and emits events; it hands each call that must really run to the executor as data and gets
 * an outcome back as data. `InProcessExecutor` is the default; an executor may run calls on other
 * processes or machines (`@taskgraph/bullmq`). Every executor passes `executorConformance` from
 * `@taskgraph/core/testing`.
 */
export interface TaskExecutor {
  /**
   * Runs one call. May settle synchronously (the in-process executor does for synchronous functions, so
   * the hot path makes no promise). An executor never throws: a failure is an outcome with `ok: false`.
   */
  execute(call: StageCall, env: ExecuteEnv): StageOutcome | Promise<StageOutcome>;
}

/** What only the calling process has: an in-process executor uses them, a remote one ignores them. */
export interface ExecuteEnv {
  /** The run's registry: functions and LLM handlers by id. */
  readonly registry: FunctionRegistry;
  /** Fires when the run stops; the call should stop too. */
  readonly signal: AbortSignal;
  /** Present when the run's events have a listener: where an LLM call's streamed text goes. */
  readonly onDelta?: (call: LLMCall, text: string) => void;
}

export type StageCall = FunctionCall | LLMCall;

interface CallBase {
  /** The task, as a path from the root graph: ids of enclosing graph tasks, then its own id. */
  readonly taskPath: readonly string[];
  /** The task's kind and the stage the call computes. */
  readonly kind: string;
  readonly stage: Stage;
}

/** A registered function called with the task's context and its dependency values. */
export interface FunctionCall extends CallBase {
  readonly type: 'function';
  readonly fn: string;
  /** The version of `fn` the scheduler fingerprints with; an executor whose function differs refuses the call. */
  readonly version: string | undefined;
  /** Positional dependency values, then the named ones as one object when the task has any. */
  readonly args: readonly unknown[];
  /** The task's constant `args` (`ctx.args`). */
  readonly taskArgs: JsonValue | undefined;
  /** The graph input (`ctx.input`); reading it is reported in the outcome. */
  readonly input: unknown;
  readonly attempts: AttemptPolicy;
  /** The task's creation chain: its start and the task's generation; ids of tasks it creates are made of them (see createdTaskId). */
  readonly lineage: Lineage;
}

/** One request to an LLM handler (the scheduler has passed the cache, budget and limits). */
export interface LLMCall extends CallBase {
  readonly type: 'llm';
  readonly handler: string;
  readonly request: LLMRequest;
  /**
   * The response fingerprint (the response cache's key): equal for two calls exactly when they ask the
   * same handler the same thing. An executor across processes keeps a received response under it, so a
   * call retried elsewhere never pays for it twice.
   */
  readonly fingerprint: string;
}

/** Retries and timeout of a function call. */
export interface AttemptPolicy {
  /** Further attempts after a failure. */
  readonly retries: number;
  /** Longest one attempt may take, in ms; its `ctx.signal` fires then. */
  readonly timeoutMs: number | undefined;
  /** Delay before the first retry, doubled before each next one. */
  readonly backoffMs: number;
}

/**
 * What a call gave: its value (an `LLMResult` for an LLM call) or its error, whether the function read
 * the graph input, the tasks it created through `ctx`, and how many attempts it took. Created tasks are
 * Task objects: an executor that crosses processes rebuilds them from their trace records.
 */
export type StageOutcome =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly inputRead: boolean;
      readonly created: readonly Task[];
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      /** What the call threw: a live error in process, or its ErrorData (`serializeError`) from elsewhere. */
      readonly error: unknown;
      readonly inputRead: boolean;
      readonly created: readonly Task[];
      readonly attempts: number;
    };
