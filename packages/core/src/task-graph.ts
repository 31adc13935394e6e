import { sealFingerprints } from './memo/fingerprints.js';
import { ValueSlot } from './memo/value-slot.js';
import { findValueProblem, pathSuffix } from './model/depth-limit.js';
import { TaskGraphError } from './model/errors.js';
import { keepShape } from './model/keep-shape.js';
import type { FunctionRegistry } from './model/registry.js';
import type { TaskGraphOptions } from './model/task-graph-base.js';
import { TaskGraphBase } from './model/task-graph-base.js';
import type { TaskRef } from './model/task-spec.js';
import { runGraph } from './run/run-graph.js';
import type { RunOptions } from './run/run-options.js';
import { type RunStreamItem, streamRun } from './run/stream-run.js';
import { readTrace } from './trace/trace-read.js';
import type { TraceDocument } from './trace/trace-schema.js';
import { writeTrace } from './trace/trace-write.js';

export type { TaskGraphOptions };

/**
 * An acyclic graph of tasks with its execution state. A task may depend only on tasks already in the
 * graph, so the graph is acyclic by construction. Run it with `run`, save it with `toJSON`, load a saved
 * (and maybe edited) trace with `TaskGraph.fromJSON` and run again: what is still valid is reused.
 */
export class TaskGraph<I = unknown, O = unknown> extends TaskGraphBase<I, O> {
  constructor(options: TaskGraphOptions<I> = {}) {
    super();
    if ('input' in options) this.inputSlot = ValueSlot.of(checkedInput(options.input, 'new TaskGraph'));
  }

  /** Sets the graph input; on replay, tasks that read the input re-run when it changed. */
  setInput(input: I): this {
    this.assertIdle('TaskGraph.setInput');
    // Results computed so far get their fingerprints from the input they were computed with.
    if (this.unsealed) sealFingerprints(this.#data());
    this.inputSlot = ValueSlot.of(checkedInput(input, 'TaskGraph.setInput'));
    return this;
  }

  /**
   * Makes `ref`'s output the graph's output, and returns the graph typed with it: `run` resolves to it.
   * A graph declared with an output type (`new TaskGraph<Input, Output>()`) takes only a task of that type.
   */
  override setOutput<T extends O>(ref: TaskRef<T> | string): TaskGraph<I, T> {
    super.setOutput(ref);
    return this as unknown as TaskGraph<I, T>;
  }

  /**
   * Runs the graph: every task starts as soon as its dependencies are done. Stored results that are still
   * valid are reused. Resolves to the output task's output; rejects with a TaskGraphError that carries
   * the trace (`error.trace`).
   */
  run(registry: FunctionRegistry, options: RunOptions = {}): Promise<O> {
    return runGraph(this.#data(), registry, options) as Promise<O>;
  }

  /**
   * Runs the graph as `run` does and yields its events as they happen, then `{ type: 'result', output }`.
   * Breaking out of the loop cancels the run. See streamRun.
   */
  stream(
    registry: FunctionRegistry,
    options: RunOptions = {},
  ): AsyncGenerator<RunStreamItem<O>, void, undefined> {
    return streamRun(this.#data(), registry, options) as AsyncGenerator<RunStreamItem<O>, void, undefined>;
  }

  /** The graph with its execution state as one JSON trace document. */
  toJSON(): TraceDocument {
    return writeTrace(this.#data());
  }

  /** Loads a trace (validated; errors name the JSON path). Run it again to replay. */
  static fromJSON<I = unknown, O = unknown>(document: unknown): TaskGraph<I, O> {
    return readTrace(document, new TaskGraph() as TaskGraphBase) as unknown as TaskGraph<I, O>;
  }

  /** This graph as the layers below see it: data whose input and output types they do not track. */
  #data(): TaskGraphBase {
    return this as unknown as TaskGraphBase;
  }
}

/** The graph input, refused when it contains itself or nests past DEPTH_LIMIT: a trace could not hold it. */
function checkedInput<I>(input: I, api: string): I {
  const problem = findValueProblem(input, { functions: false, collections: true });
  if (problem) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: the graph input cannot be stored in a trace: ${problem.problem} (at input${pathSuffix(problem.path)}). Pass data without cycles.`,
    );
  }
  return input;
}

// A graph's shape outlives every graph (see keepShape).
keepShape(new TaskGraph());
