import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import { dfsFromNode } from 'graphology-traversal';
import { CycleError, DuplicateTaskError, TaskGraphError, UnknownDependencyError } from './errors.js';
import type { StoredValue } from './json-value.js';
import type { RunInfo } from './run-info.js';
import type { Task } from './task.js';
import type { AnyTask } from './task-kinds.js';
import { taskFromSpec } from './task-kinds.js';
import type {
  FunctionTaskSpec,
  GraphTaskSpec,
  HumanTaskSpec,
  LLMTaskSpec,
  TaskRef,
  TaskSpec,
} from './task-spec.js';

export interface TaskGraphOptions<I> {
  /** The graph input, given to every function as `ctx.input`. */
  input?: I;
}

/**
 * An acyclic graph of tasks with its stored state: the data the layers above work on. A task may depend
 * only on tasks already in the graph, so the graph is acyclic by construction. `TaskGraph`, the user's
 * API, extends it with `run`, `toJSON` and `fromJSON`.
 */
export class TaskGraphBase<I = unknown, O = unknown> {
  /** Type-level only: the graph's output type. Never set at run time. */
  declare readonly __output?: O;
  /** The graphology graph of the structure, built on first use and kept current after that. */
  #structure: DirectedGraph | undefined;
  readonly #tasks = new Map<string, AnyTask>();
  /** How many tasks were ever added: the next task's position. */
  #added = 0;
  /** The graph input as stored; undefined when none was given. */
  inputSlot: StoredValue | undefined;
  /** Id of the task whose output is the graph's output. */
  outputId: string | undefined;
  /** How the last run of this graph went (status, times, error). */
  runInfo: RunInfo | undefined;
  /** @internal set while a run is in progress. */
  running = false;
  /** @internal stages computed in this process may lack fingerprints; see sealFingerprints. */
  unsealed = false;

  get input(): I {
    return this.inputSlot?.value as I;
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

  /** Adds a task that asks a person: question formatter, then the person's answer, then the output parser. */
  addHuman<A extends unknown[], O2 = unknown>(spec: HumanTaskSpec<A, O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addHuman', 'human', spec, spec?.id));
  }

  /** Adds a task of any kind; `spec.kind` says which. */
  addTask<O2>(spec: TaskSpec<O2, I>): TaskRef<O2> {
    return this.add(taskFromSpec('TaskGraph.addTask', spec?.kind, spec, spec?.id));
  }

  /** Makes `ref`'s output the graph's output. */
  setOutput<T extends O>(ref: TaskRef<T> | string): TaskGraphBase<I, T> {
    const id = typeof ref === 'string' ? ref : ref?.id;
    if (!this.#tasks.has(id)) {
      throw new UnknownDependencyError('TaskGraph.setOutput', { taskId: '(output)', dependency: String(id) });
    }
    this.outputId = id;
    return this as unknown as TaskGraphBase<I, T>;
  }

  /** @internal adds a built task, checking its id, dependencies and creator. */
  add<T>(task: Task, api = 'TaskGraph.add'): TaskRef<T> {
    if (!task.createdBy) this.assertIdle(api);
    if (this.#tasks.has(task.id)) throw new DuplicateTaskError(api, task.id);
    const ids = task.dependencyIds;
    const dependencyTasks: Task[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const dep = ids[i] as string;
      if (dep === task.id) throw new CycleError(api, [task.id, task.id]);
      const found = this.#tasks.get(dep);
      if (!found) throw new UnknownDependencyError(api, { taskId: task.id, dependency: dep });
      dependencyTasks[i] = found;
    }
    if (task.createdBy !== undefined && !this.#tasks.has(task.createdBy)) {
      throw new UnknownDependencyError(api, { taskId: task.id, dependency: task.createdBy });
    }
    // Dependencies must already be in the graph, and the new task has no dependents yet, so no task
    // added here can close a cycle: the graph is acyclic by construction.
    task.position = this.#added++;
    if (dependencyTasks.length > 0) task.dependencyTasks = dependencyTasks;
    this.#tasks.set(task.id, task as AnyTask);
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

  /** A graph with the same tasks (and input, unless `withInput` is false) and no results. */
  cloneDefinition(withInput = true): this {
    const copy = this.createEmpty();
    if (withInput) copy.inputSlot = this.inputSlot;
    for (const task of this.#tasks.values()) {
      if (task.createdBy === undefined) copy.add(task.cloneDefinition());
    }
    copy.outputId = this.outputId !== undefined && copy.#tasks.has(this.outputId) ? this.outputId : undefined;
    return copy;
  }

  /** An empty graph of the same class (nested graphs of a loaded trace are built with it). */
  createEmpty(): this {
    return new (this.constructor as new () => this)();
  }

  /** Forgets every result, keeping the tasks defined before running (created tasks are removed). */
  reset(): void {
    for (const task of [...this.#tasks.values()]) {
      if (task.createdBy !== undefined) this.remove(task.id);
      else task.reset();
    }
    this.runInfo = undefined;
  }

  /** Throws RUN_IN_PROGRESS while the graph runs. */
  protected assertIdle(api: string): void {
    if (this.running) {
      throw new TaskGraphError(
        'RUN_IN_PROGRESS',
        `${api}: the graph is running. Wait for run() to settle first.`,
      );
    }
  }
}

function addToStructure(structure: DirectedGraph, task: Task): void {
  structure.addNode(task.id);
  for (const dep of task.dependencyIds) structure.addDirectedEdge(dep, task.id);
  if (task.createdBy !== undefined) structure.mergeDirectedEdge(task.createdBy, task.id);
}
