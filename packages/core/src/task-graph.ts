import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import { dfsFromNode } from 'graphology-traversal';
import { CycleError, DuplicateTaskError, TaskGraphError, UnknownDependencyError } from './errors.js';
import type { FunctionRegistry } from './registry.js';
import { runGraph } from './run-graph.js';
import type { RunOptions } from './run-options.js';
import type { AnyTask, Task } from './task.js';
import { taskFromSpec } from './task-from-spec.js';
import type { FunctionTaskSpec, GraphTaskSpec, LLMTaskSpec, TaskRef, TaskSpec } from './task-spec.js';
import { readTrace } from './trace-read.js';
import type { RunInfo, TraceDocument } from './trace-schema.js';
import { writeTrace } from './trace-write.js';
import { ValueSlot } from './value-slot.js';

export interface TaskGraphOptions<I> {
  /** The graph input, given to every function as `ctx.input`. */
  input?: I;
}

/**
 * An acyclic graph of tasks with its execution state. A task may depend only on tasks already in the
 * graph, so the graph is acyclic by construction. Run it with `run`, save it with `toJSON`, load a saved
 * (and maybe edited) trace with `TaskGraph.fromJSON` and run again: what is still valid is reused.
 */
export class TaskGraph<I = unknown, O = unknown> {
  /** The graphology graph of the structure, built on first use and kept current after that. */
  #structure: DirectedGraph | undefined;
  readonly #tasks = new Map<string, AnyTask>();
  /** The graph input as stored; undefined when none was given. */
  inputSlot: ValueSlot | undefined;
  /** Id of the task whose output is the graph's output. */
  outputId: string | undefined;
  /** How the last run of this graph went (status, times, error). */
  runInfo: RunInfo | undefined;
  /** @internal set while a run is in progress. */
  running = false;
  /** @internal stages computed in this process may lack fingerprints; see sealFingerprints. */
  unsealed = false;

  constructor(options: TaskGraphOptions<I> = {}) {
    if ('input' in options) this.inputSlot = ValueSlot.of(options.input);
  }

  get input(): I {
    return this.inputSlot?.value as I;
  }

  /** Sets the graph input; on replay, tasks that read the input re-run when it changed. */
  setInput(input: I): this {
    this.#assertIdle('TaskGraph.setInput');
    this.inputSlot = ValueSlot.of(input);
    return this;
  }

  /** Adds a task that runs a registered function on its dependencies' outputs. */
  addFunction<A extends unknown[], O2>(spec: FunctionTaskSpec<A, O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addFunction', 'function', spec, spec?.id));
  }

  /** Adds an LLM task: prompt formatter, then the LLM handler, then the output parser. */
  addLLM<A extends unknown[], O2 = string>(spec: LLMTaskSpec<A, O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addLLM', 'llm', spec, spec?.id));
  }

  /** Adds a task that runs a nested graph; its output is the nested graph's output. */
  addGraph<A extends unknown[], O2>(spec: GraphTaskSpec<A, O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addGraph', 'graph', spec, spec?.id));
  }

  /** Adds a task of any kind; `spec.kind` says which. */
  addTask<O2>(spec: TaskSpec<O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addTask', spec?.kind, spec, spec?.id));
  }

  /**
   * Makes `ref`'s output the graph's output, and returns the graph typed with it: `run` resolves to it.
   * A graph declared with an output type (`new TaskGraph<Input, Output>()`) takes only a task of that type.
   */
  setOutput<T extends O>(ref: TaskRef<T> | string): TaskGraph<I, T> {
    const id = typeof ref === 'string' ? ref : ref?.id;
    if (!this.#tasks.has(id)) {
      throw new UnknownDependencyError('TaskGraph.setOutput', '(output)', String(id));
    }
    this.outputId = id;
    return this as unknown as TaskGraph<I, T>;
  }

  /** @internal adds a built task, checking its id, dependencies and creator. */
  add<T>(task: AnyTask, api = 'TaskGraph.add'): TaskRef<T> {
    if (!task.createdBy) this.#assertIdle(api);
    if (this.#tasks.has(task.id)) throw new DuplicateTaskError(api, task.id);
    for (const dep of task.dependencyIds) {
      if (dep === task.id) throw new CycleError(api, [task.id, task.id]);
      if (!this.#tasks.has(dep)) throw new UnknownDependencyError(api, task.id, dep);
    }
    if (task.createdBy !== undefined && !this.#tasks.has(task.createdBy)) {
      throw new UnknownDependencyError(api, task.id, task.createdBy);
    }
    // Dependencies must already be in the graph, and the new task has no dependents yet, so no task
    // added here can close a cycle: the graph is acyclic by construction.
    this.#tasks.set(task.id, task);
    if (this.#structure) addToStructure(this.#structure, task);
    return task as unknown as TaskRef<T>;
  }

  /** @internal removes a task (a child its creator no longer creates). */
  remove(id: string): void {
    this.#tasks.delete(id);
    if (this.#structure?.hasNode(id)) this.#structure.dropNode(id);
  }

  /**
   * The dependency structure as a graphology DirectedGraph: an edge from each dependency (and creator)
   * to the task. Built on first use (runs, saves and loads never need it) and kept current after that.
   */
  get structure(): DirectedGraph {
    if (!this.#structure) {
      const structure = new DirectedGraph();
      for (const task of this.#tasks.values()) addToStructure(structure, task);
      this.#structure = structure;
    }
    return this.#structure;
  }

  task(id: string): AnyTask | undefined {
    return this.#tasks.get(id);
  }

  tasks(): IterableIterator<AnyTask> {
    return this.#tasks.values();
  }

  get size(): number {
    return this.#tasks.size;
  }

  get outputTask(): AnyTask | undefined {
    return this.outputId === undefined ? undefined : this.#tasks.get(this.outputId);
  }

  /** Task ids in an order where every task comes after its dependencies. */
  topologicalOrder(): string[] {
    return topologicalSort(this.structure);
  }

  /** Ids of the tasks that depend on `id` directly or through others (created tasks included), not `id` itself. */
  downstream(id: string): Set<string> {
    const cone = new Set<string>();
    if (!this.structure.hasNode(id)) return cone;
    dfsFromNode(
      this.structure,
      id,
      (node) => {
        if (node !== id) cone.add(node);
      },
      { mode: 'outbound' },
    );
    return cone;
  }

  /**
   * Runs the graph: every task starts as soon as its dependencies are done. Stored results that are still
   * valid are reused. Resolves to the output task's output; rejects with a TaskGraphError that carries
   * the trace (`error.trace`).
   */
  run(registry: FunctionRegistry, options: RunOptions = {}): Promise<O> {
    return runGraph(this, registry, options) as Promise<O>;
  }

  /** The graph with its execution state as one JSON trace document. */
  toJSON(): TraceDocument {
    return writeTrace(this);
  }

  /** Loads a trace (validated; errors name the JSON path). Run it again to replay. */
  static fromJSON<I = unknown, O = unknown>(document: unknown): TaskGraph<I, O> {
    return readTrace(document) as TaskGraph<I, O>;
  }

  /** A graph with the same tasks (and input, unless `withInput` is false) and no results. */
  cloneDefinition(withInput = true): TaskGraph<I, O> {
    const copy = new TaskGraph<I, O>();
    if (withInput) copy.inputSlot = this.inputSlot;
    for (const task of this.#tasks.values()) {
      if (task.createdBy === undefined) copy.add(task.cloneDefinition() as AnyTask);
    }
    copy.outputId = this.outputId !== undefined && copy.#tasks.has(this.outputId) ? this.outputId : undefined;
    return copy;
  }

  /** Forgets every result, keeping the tasks defined before running (created tasks are removed). */
  reset(): void {
    for (const task of [...this.#tasks.values()]) {
      if (task.createdBy !== undefined) this.remove(task.id);
      else task.reset();
    }
    this.runInfo = undefined;
  }

  #assertIdle(api: string): void {
    if (this.running) {
      throw new TaskGraphError(
        'RUN_IN_PROGRESS',
        `${api}: the graph is running. Wait for run() to settle first.`,
      );
    }
  }
}

export type { Task };

function addToStructure(structure: DirectedGraph, task: AnyTask): void {
  structure.addNode(task.id);
  for (const dep of task.dependencyIds) structure.addDirectedEdge(dep, task.id);
  if (task.createdBy !== undefined) structure.mergeDirectedEdge(task.createdBy, task.id);
}
