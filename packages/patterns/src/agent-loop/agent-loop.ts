import type { FunctionRegistry, RunOptions, TaskGraph, TaskRef } from '@taskgraph/core';
import { TaskGraph as Graph, TaskFailedError } from '@taskgraph/core';
import type { ZodType } from 'zod';
import { carriedHistory } from './carried-history.js';
import { InfiniteLoopError } from './errors.js';
import type { AgentLoopConfig } from './loop-config.js';
import { resolveConfig } from './loop-config.js';
import type { LoopDefinition, LoopLike } from './loop-definition.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopRunResult } from './loop-result.js';
import { loopRunResult } from './loop-result.js';
import type { LoopInput } from './loop-start.js';
import type { LoopNodeOutput } from './loop-state.js';
import { addLoopTask } from './loop-tasks.js';
import { registerLoop } from './register-loop.js';
import type { StepDriverOptions } from './step-driver.js';
import { StepDriver } from './step-driver.js';

/** Options of AgentLoop.run: core's run options, plus the typed result. */
export interface LoopRunOptions<T> extends RunOptions {
  /** Extract the result as this type; overrides the loop's `returnType` (no re-ask). */
  returnType?: ZodType<T>;
  /** Throw ReturnTypeError instead of returning a null value when the type cannot be extracted. */
  strict?: boolean;
}

/**
 * langroid's Task as a task graph (seed 003): responders take turns on a pending message until a done
 * condition holds. Each turn unrolls into tasks of the run: an attempt task per responder tried, and a
 * step task whose output is the whole loop state, so that the trace shows every turn, and an edit of
 * turn k replays from turn k + 1 only. See docs/patterns.md, "Agent loop".
 */
export class AgentLoop implements LoopLike {
  readonly definition: LoopDefinition;
  readonly #config: AgentLoopConfig;
  /** With `restart: false`: the conversation the last `run()` ended with, which the next one continues. */
  #conversation: LoopMessage[] | undefined;

  constructor(config: AgentLoopConfig) {
    this.definition = resolveConfig(config);
    this.#config = config;
  }

  get name(): string {
    return this.definition.name;
  }

  /** Registers the loop's functions (and its sub-loops') in `registry`; registering twice is harmless. */
  register(registry: FunctionRegistry): FunctionRegistry {
    return registerLoop(this.definition, registry);
  }

  /**
   * Adds the loop's first step task to `graph` (id: the loop's name unless given). It starts from the output
   * of its one dependency, else from the graph input: a message or a LoopInput.
   */
  addTo(graph: TaskGraph, options: { id?: string; deps?: [TaskRef | string] } = {}): TaskRef<LoopNodeOutput> {
    return addLoopTask(graph, this.definition, options);
  }

  /**
   * Runs the loop on `input` (a message, or { message, session, turns, budget }) in a graph of its own,
   * and returns how it ended. Rejects as TaskGraph.run does (a failed responder graph, a run budget…), and
   * with InfiniteLoopError when `onInfiniteLoop` is "throw".
   */
  async run<T = unknown>(
    registry: FunctionRegistry,
    input: string | LoopInput,
    options: LoopRunOptions<T> = {},
  ): Promise<LoopRunResult<T>> {
    this.register(registry);
    const { returnType, strict, ...runOptions } = options;
    if (typeof input === 'object' && input?.history !== undefined) {
      carriedHistory(input.history, `AgentLoop.run: the input of loop "${this.name}"`);
    }
    const graph = new Graph({ input: this.#continued(input) });
    const start = this.addTo(graph);
    try {
      await graph.run(registry, runOptions);
    } catch (error) {
      throw loopError(error);
    }
    const result = loopRunResult<T>(graph, this.name, start.id, {
      returnType,
      strict,
      typed: this.definition.returnType !== undefined,
    });
    if (!this.definition.restart) this.#conversation = result.state.history;
    return result;
  }

  /** The input with the conversation to continue, for a loop that does not restart. */
  #continued(input: string | LoopInput): string | LoopInput {
    const history = this.#conversation;
    if (this.definition.restart || history === undefined) return input;
    const given = typeof input === 'string' ? { message: input } : input;
    return given.history === undefined ? { ...given, history } : given;
  }

  /** A driver that plays the loop one turn at a time. */
  driver(registry: FunctionRegistry, options: StepDriverOptions = {}): StepDriver {
    return new StepDriver(this, registry, options);
  }

  /** An independent copy named `<name>-<i>`, for fan-out over inputs in one graph. */
  clone(i: number): AgentLoop {
    return new AgentLoop({ ...this.#config, name: `${this.name}-${i}` });
  }

  /** Kills every run of `session` (default: the loop's session) at its next check point. */
  kill(session: string = this.definition.session): void | Promise<void> {
    return this.definition.killStore.kill(session);
  }

  /** Lets runs of `session` go on again after a kill. */
  revive(session: string = this.definition.session): void | Promise<void> {
    return this.definition.killStore.revive(session);
  }
}

/** The InfiniteLoopError a step task threw, rather than the run's TASK_FAILED around it. */
function loopError(error: unknown): unknown {
  if (!(error instanceof TaskFailedError)) return error;
  const inner = error.failures.map((failure) => failure.error).find((e) => e instanceof InfiniteLoopError);
  if (!inner) return error;
  inner.trace = error.trace;
  return inner;
}
