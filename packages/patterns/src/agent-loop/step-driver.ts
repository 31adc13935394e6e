import type { FunctionRegistry, RunOptions, TraceDocument } from '@taskgraph/core';
import { TaskGraph, TaskGraphError } from '@taskgraph/core';
import type { LoopLike } from './loop-definition.js';
import type { LoopEnd } from './loop-result.js';
import { findLoopEnd } from './loop-result.js';
import type { LoopInputMessage } from './loop-start.js';
import { addLoopTask } from './loop-tasks.js';

export interface StepDriverOptions {
  /** The session of the conversation (default: the loop's session). */
  session?: string;
  /** A trace saved from a driver, to resume its conversation with `init()`. */
  trace?: TraceDocument;
  /** Options of each run (signal, trace file, onEvent…); `force` is the driver's own. */
  run?: Omit<RunOptions, 'force'>;
}

/**
 * Plays a loop one turn at a time from outside: `init(message)` starts a conversation and
 * `step()` plays the next turn. Each call runs the same graph again: what was played is reused, and the
 * step task where the loop paused runs again (it decides the same, being a function of the trace) and
 * goes on for one more turn. A gate per session, which only the step tasks of this loop read, makes the
 * pause; the trace after N steps holds the same turns as a run with `turns: N`.
 */
export class StepDriver {
  readonly #loop: LoopLike;
  readonly #registry: FunctionRegistry;
  readonly #options: StepDriverOptions;
  readonly session: string;
  #graph: TaskGraph | undefined;

  constructor(loop: LoopLike, registry: FunctionRegistry, options: StepDriverOptions = {}) {
    this.#loop = loop;
    this.#registry = loop.register(registry);
    this.#options = options;
    this.session = options.session ?? loop.definition.session;
  }

  /** The graph played so far; `graph.toJSON()` is its trace. */
  get graph(): TaskGraph {
    if (!this.#graph) throw notStarted('graph');
    return this.#graph;
  }

  /** The output of the step task where the loop stands now, with the whole conversation in `state.history`. */
  get current(): LoopEnd['output'] {
    return this.#end().output;
  }

  get done(): boolean {
    return this.current.state.status !== null;
  }

  /**
   * Starts a conversation on `message`, playing no turn yet. Without a message, resumes the conversation
   * of the trace given to the driver, where it paused.
   */
  async init(message?: string | LoopInputMessage): Promise<LoopEnd['output']> {
    const { name } = this.#loop.definition;
    if (message === undefined) {
      if (!this.#options.trace) {
        throw new TaskGraphError(
          'INVALID_ARGUMENT',
          'StepDriver.init: give a message, or a trace to resume (loop.driver(registry, { trace })).',
        );
      }
      this.#graph = TaskGraph.fromJSON(this.#options.trace);
      return this.current;
    }
    this.#graph = new TaskGraph({ input: { message, session: this.session } });
    addLoopTask(this.#graph, this.#loop.definition, { id: name });
    await this.#play(0, []);
    return this.current;
  }

  /** Plays one more turn; returns the step task's output where the loop now stands. */
  async step(): Promise<LoopEnd['output']> {
    const end = this.#end();
    const { state } = end.output;
    if (state.status !== null) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `StepDriver.step: the loop "${state.loop}" has ended with ${state.status} at turn ${state.turn}; there is no next turn.`,
      );
    }
    await this.#play(state.turn + 1, [end.taskId]);
    return this.current;
  }

  async #play(turns: number, force: string[]): Promise<void> {
    const { gates } = this.#loop.definition;
    gates.set(this.session, turns);
    try {
      await this.graph.run(this.#registry, { ...this.#options.run, force: { tasks: force } });
    } finally {
      gates.delete(this.session);
    }
  }

  #end(): LoopEnd {
    const { name } = this.#loop.definition;
    const end = findLoopEnd(this.graph, name, name);
    if (!end) throw notStarted('current');
    return end;
  }
}

function notStarted(what: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `StepDriver.${what}: call init() first.`);
}
