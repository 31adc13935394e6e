import { performance } from 'node:perf_hooks';
import { sealFingerprints, sealTask } from '../memo/fingerprints.js';
import { decideStage } from '../memo/stage-decision.js';
import { checkFunctions } from '../model/check-functions.js';
import type { Lineage } from '../model/created-task-id.js';
import { serializeError } from '../model/error-data.js';
import { DuplicateTaskError, errorCode, LimitExceededError, TaskGraphError } from '../model/errors.js';
import type { GraphStartHook } from '../model/registry.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { HumanQuestion, StageDescriptor } from '../model/task-kind.js';
import { taskLine } from '../trace/common-record-line.js';
import { definitionKey } from '../trace/trace-write.js';
import { CreationChains } from './creation-loop.js';
import { assignPriorities } from './priorities.js';
import {
  type CreatedIds,
  createdHas,
  createdList,
  DONE,
  DROPPED,
  PAUSED,
  RUNNING,
  RunNode,
  STOPPED,
  WAITING,
} from './run-node.js';
import { type SharedRun, TIME_ORIGIN } from './shared-run.js';
import { executeNode } from './task-steps.js';

/**
 * Runs one graph (the root or a nested one) by dataflow: a task starts the moment its last dependency is
 * done. Ready tasks go through one queue drained in a loop, so long chains of synchronous functions
 * never grow the stack. The run's state of each task lives in its RunNode, never on the task.
 */
export class GraphRun {
  /** The run's nodes by task position (see Task.position). */
  readonly #nodes: Array<RunNode | undefined> = [];
  readonly #ready: RunNode[] = [];
  #head = 0;
  #draining = false;
  #total = 0;
  #settled = 0;
  #running = 0;
  #finished = false;
  /** Tasks waiting for a person's answer. */
  #paused = 0;
  /** Whether the graph held tasks created while running when the run started (their creator may drop them). */
  #hadCreatedTasks = false;
  /** Whether ready tasks are started by priority (a queue of limited concurrency is in play). */
  #prioritized = false;
  #resolve: () => void = () => {};
  /** Whether any task of this graph (or a nested one) did work in this run, instead of being reused. */
  executed = false;
  readonly #chains: CreationChains;

  constructor(
    readonly graph: TaskGraphBase,
    readonly shared: SharedRun,
    readonly path: readonly string[],
    readonly depth: number,
  ) {
    this.#chains = new CreationChains(graph, (id) => this.#node(id));
  }

  /** Where a task sits in its creation chain: what the ids of the tasks it creates are made of. */
  lineage(node: RunNode): Lineage {
    return this.#chains.lineage(node);
  }

  /** Runs the graph; settles (never rejects) when every task has settled or the run has stopped. */
  start(): Promise<void> {
    const { graph } = this;
    graph.running = true;
    if (graph.unsealed) sealFingerprints(graph);
    graph.unsealed = true;
    const done = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    this.shared.active.add(this);
    this.shared.clockUsed();
    const hooks = this.shared.registry.graphHooks;
    if (hooks.length > 0) this.#callHooks(hooks);
    const nodes = this.#nodes;
    const order: RunNode[] = [];
    let callsLLM = false;
    for (const task of graph.tasks()) {
      const node = new RunNode(task, this);
      nodes[task.position] = node;
      order.push(node);
      // LLM calls (also those of nested graphs) wait in a queue of limited concurrency: order it by priority.
      if (task.descriptor.callsLLM || task.descriptor.nested) callsLLM = true;
    }
    for (const node of order) this.#wire(node, false);
    this.#total = order.length;
    this.#prioritized = this.shared.functionLimit !== undefined || callsLLM;
    if (this.#prioritized) assignPriorities(order);
    for (const node of order) if (node.waiting === 0) this.#ready.push(node);
    this.#drain();
    this.#checkFinished();
    return done;
  }

  /** Calls the registry's graph hooks; one that throws stops the run before any task of this graph runs. */
  #callHooks(hooks: readonly GraphStartHook[]): void {
    for (const hook of hooks) {
      try {
        hook(this.graph);
      } catch (error) {
        const where =
          this.path.length > 0 ? `the graph of task "${this.path.join(' > ')}"` : 'the root graph';
        const message = error instanceof Error ? error.message : String(error);
        this.shared.stop(
          new TaskGraphError(
            'GRAPH_HOOK_FAILED',
            `TaskGraph.run: a hook added with FunctionRegistry.onGraphStart threw when ${where} started: ${message}`,
            this.path.length > 0 ? { cause: error, taskPath: this.path } : { cause: error },
          ),
        );
        return;
      }
    }
  }

  /**
   * Links a node to its dependencies and its creator; with `live` (a task created while running, by
   * `creator`), settled dependencies are not waited on.
   */
  #wire(node: RunNode, live: boolean, creator?: RunNode): string | undefined {
    const { task } = node;
    const { dependencyIds } = task;
    let failedDependency: string | undefined;
    const dependencyTasks = task.dependencyTasks;
    const nodes = this.#nodes;
    // A creator that is also a dependency (a chain: each task depends on the one that created it) is
    // waited on once.
    let waitsOnCreator = false;
    for (let i = 0; i < dependencyIds.length; i++) {
      const dep = nodes[(dependencyTasks[i] as Task).position] as RunNode;
      if (live && dep.phase === DONE) continue;
      if (live && dep.phase === STOPPED) failedDependency ??= dep.task.id;
      if (dep === creator) waitsOnCreator = true;
      node.waiting++;
      dep.addDependent(node);
    }
    if (task.createdBy !== undefined && !waitsOnCreator) {
      if (!live) this.#hadCreatedTasks = true;
      node.waiting++;
      (creator ?? (this.#node(task.createdBy) as RunNode)).addDependent(node);
    }
    return failedDependency;
  }

  /** The node of the task with this id in this run. */
  #node(id: string): RunNode | undefined {
    const task = this.graph.task(id);
    return task === undefined ? undefined : this.#nodes[task.position];
  }

  /** Orders the ready tasks not started yet by priority, highest first; returns the end of the sorted part. */
  #sortReady(): number {
    this.shared.clockUsed();
    const pending = this.#ready.slice(this.#head).sort((a, b) => b.priority - a.priority);
    this.#ready.splice(this.#head, pending.length, ...pending);
    return this.#ready.length;
  }

  onStop(): void {
    this.#checkFinished();
  }

  taskPath(task: Task): string[] {
    return [...this.path, task.id];
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const ready = this.#ready;
    let sorted = this.#head;
    while (this.#head < ready.length && !this.shared.stopped) {
      // Under a concurrency limit, ready tasks enter the queue longest path first (see priorities.ts).
      if (this.#prioritized && sorted < ready.length) sorted = this.#sortReady();
      const node = ready[this.#head++] as RunNode;
      if (node.phase !== WAITING) continue;
      node.phase = RUNNING;
      this.#running++;
      executeNode(this, node);
    }
    if (this.#head >= ready.length) {
      ready.length = 0;
      this.#head = 0;
    }
    this.#draining = false;
    // A finish time kept for the next start is good only while the scheduler goes on without a break.
    this.shared.clockUsed();
  }

  /** The memo decision for one stage of a running task (see decideStage, shared with planReplay). */
  canReuse(
    node: RunNode,
    def: StageDescriptor,
    fnId: string | undefined,
    version: string | undefined,
  ): boolean {
    const { task } = node;
    if (!def.get(task)) return false;
    // Checking a stored value may hash it.
    this.shared.clockUsed();
    const force = this.shared.force;
    // The task's path is read only to look up forced tasks: no array is built when nothing is forced.
    const taskPath = force.empty ? this.path : this.taskPath(task);
    return (
      decideStage({ graph: this.graph, task, taskPath, stage: def.stage, fnId, version, force }).action ===
      'reuse'
    );
  }

  /** Marks the start of real work on a task (not a reuse). */
  begin(node: RunNode): void {
    const { task } = node;
    if (task.status === 'running') return;
    this.executed = true;
    task.status = 'running';
    task.attempts++;
    task.startedAt = this.shared.startTime();
    this.shared.emit?.({ type: 'task:start', taskPath: this.taskPath(task), kind: task.kind });
  }

  /** The task's stored result was valid: nothing ran. */
  reused(node: RunNode): void {
    const { task } = node;
    task.status = 'done';
    task.error = undefined;
    this.shared.clockUsed();
    this.shared.emit?.({ type: 'task:reused', taskPath: this.taskPath(task), kind: task.kind });
    this.#settleDone(node);
  }

  /** The task ran and produced its output. */
  completed(node: RunNode): void {
    if (node.phase !== RUNNING) return;
    const { task } = node;
    task.status = 'done';
    task.error = undefined;
    const { shared } = this;
    const at = TIME_ORIGIN + performance.now();
    task.durationMs = at - (task.startedAt ?? 0);
    const { emit } = shared;
    emit?.({
      type: 'task:done',
      taskPath: this.taskPath(task),
      kind: task.kind,
      durationMs: task.durationMs,
    });
    const created = this.#dropStaleChildren(node);
    if (shared.store) this.#journalCompleted(node, created);
    else if (emit === undefined && created === undefined) shared.finishedAt(at);
    this.#settleDone(node);
  }

  #settleDone(node: RunNode): void {
    this.#running--;
    this.#settled++;
    node.phase = DONE;
    for (const dependent of node.dependents) {
      if (dependent.phase === WAITING && --dependent.waiting === 0) this.#ready.push(dependent);
    }
    this.#drain();
    this.#checkFinished();
  }

  /** The task failed (or was cancelled). Failure policy branches on error codes, never on classes. */
  failed(node: RunNode, error: unknown): void {
    if (node.phase !== RUNNING) return;
    const { task } = node;
    this.#running--;
    this.#settled++;
    node.phase = STOPPED;
    task.error = serializeError(error);
    // A failed task keeps no output (an LLM task keeps its prompt and response: a parser failure costs no call).
    task.output = undefined;
    task.setFingerprint('output', undefined);
    if (task.startedAt !== undefined) task.durationMs = TIME_ORIGIN + performance.now() - task.startedAt;
    const taskPath = this.taskPath(task);
    const code = errorCode(error);
    // A task with a nested graph whose task failed has failed too, even though that failure stopped the run.
    const nestedFailure = task.descriptor.nested !== undefined && code === 'TASK_FAILED';
    const { shared } = this;
    if (nestedFailure) {
      task.status = 'failed';
      this.journal(node);
      shared.emit?.({ type: 'task:failed', taskPath, kind: task.kind, error: task.error });
      if (shared.options.continueOnError && !shared.stopped) this.#skipDependents(node);
    } else if (shared.stopped) {
      task.status = 'cancelled';
      shared.emit?.({ type: 'task:cancelled', taskPath, kind: task.kind });
    } else {
      task.status = 'failed';
      this.journal(node);
      shared.recordFailure(taskPath, error);
      shared.emit?.({ type: 'task:failed', taskPath, kind: task.kind, error: task.error });
      if (code === 'BUDGET_EXCEEDED') shared.stop(error as TaskGraphError, false);
      else if (code === 'LIMIT_EXCEEDED') shared.stop(error as TaskGraphError);
      else if (!shared.options.continueOnError) {
        shared.stop(
          new TaskGraphError(
            'CANCELLED',
            `TaskGraph.run: stopped because task "${taskPath.join(' > ')}" failed.`,
            {
              taskPath,
              cause: error,
            },
          ),
        );
      } else this.#skipDependents(node);
    }
    this.#drain();
    this.#checkFinished();
  }

  /**
   * The task asked a person and has no answer yet (`question`; undefined for a task whose nested graph
   * waits): it settles as waiting, its dependents stay pending, and the rest of the run goes on.
   */
  waitFor(node: RunNode, question: HumanQuestion | undefined): void {
    if (node.phase !== RUNNING) return;
    const { task } = node;
    this.#running--;
    this.#settled++;
    node.phase = PAUSED;
    this.#paused++;
    task.status = 'waiting';
    task.error = undefined;
    const taskPath = this.taskPath(task);
    if (question) this.shared.waiting.push(question);
    this.journal(node, true);
    this.shared.emit?.({ type: 'task:waiting', taskPath, kind: task.kind, question: question?.question });
    this.#drain();
    this.#checkFinished();
  }

  #skipDependents(failed: RunNode): void {
    const stack = [failed];
    while (stack.length > 0) {
      const node = stack.pop() as RunNode;
      for (const dependent of node.dependents) {
        if (dependent.phase !== WAITING) continue;
        this.#skip(dependent, failed.task.id);
        stack.push(dependent);
      }
    }
  }

  #skip(node: RunNode, failedDependency: string): void {
    node.phase = STOPPED;
    node.task.status = 'skipped';
    this.#settled++;
    this.shared.emit?.({
      type: 'task:skipped',
      taskPath: this.taskPath(node.task),
      kind: node.task.kind,
      failedDependency,
    });
  }

  #checkFinished(): void {
    if (this.#finished || this.#running > 0) return;
    // With tasks waiting for answers, the tasks that depend on them cannot start: once nothing runs and
    // nothing is ready, the run has done all it can.
    const stuck = this.#paused > 0 && this.#head >= this.#ready.length;
    if (this.#settled < this.#total && !this.shared.stopped && !stuck) return;
    this.#finished = true;
    this.shared.active.delete(this);
    this.graph.running = false;
    this.#resolve();
  }

  /**
   * Adds the tasks a running task created through its context (they came with its call's outcome).
   * A created task identical to one it created in an earlier run, and still waiting, keeps that one with
   * its stored results. Throws what makes the creator fail (a limit also stops the run).
   */
  addCreated(creator: RunNode, created: readonly Task[]): void {
    for (const task of created) this.#addCreated(creator, task);
  }

  #addCreated(creator: RunNode, task: Task): void {
    const api = 'ctx.addTask';
    if (creator.phase !== RUNNING) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: task "${creator.task.id}" can add tasks only while it runs.`,
        {
          taskPath: this.taskPath(creator.task),
        },
      );
    }
    const { id } = task;
    // The node's taskPath is read only for an error or an event: most created tasks need neither.
    const node = new RunNode(task, this);
    checkFunctions(this.shared.registry, task, node);
    if (!creator.addCreated(id)) throw new DuplicateTaskError(api, id);
    // A task of this id from an earlier run, which the creator may create again. Another task of this
    // id created in this run, or added by hand, fails as a duplicate when it is added to the graph.
    const existing = this.#hadCreatedTasks ? this.#node(id) : undefined;
    if (existing && existing.phase !== DROPPED) {
      if (existing.task.createdBy !== creator.task.id) throw new DuplicateTaskError(api, id);
      if (existing.phase === WAITING && definitionKey(existing.task) === definitionKey(task)) return;
      this.#drop(existing);
    }
    const lineage = this.#chains.lineage(creator);
    node.generation = lineage.generation + 1;
    node.root = lineage.root;
    try {
      this.#checkGenerations(node, creator);
      this.#chains.checkLoop(creator, node);
      const nested = task.descriptor.nested?.graph(task);
      this.shared.countTasks(nested ? 1 + nested.size : 1, node);
    } catch (error) {
      // A limit ends the run even if the creating task catches the error.
      if (errorCode(error) === 'LIMIT_EXCEEDED') this.shared.stop(error as TaskGraphError);
      throw error;
    }
    this.graph.add(task, api);
    this.#nodes[task.position] = node;
    this.#total++;
    const failedDependency = this.#wire(node, true, creator);
    this.shared.emit?.({
      type: 'task:added',
      taskPath: this.taskPath(task),
      kind: task.kind,
      createdBy: creator.task.id,
    });
    if (failedDependency !== undefined) this.#skip(node, failedDependency);
  }

  /** `maxGenerations`: how far a creation chain may grow (no limit by default). */
  #checkGenerations(node: RunNode, creator: RunNode): void {
    const { generation } = node;
    const max = this.shared.options.maxGenerations;
    if (generation > max) {
      throw new LimitExceededError({
        limit: 'maxGenerations',
        message: `TaskGraph.run: task "${node.task.id}" would be generation ${generation} of the creation chain that starts at "${creator.root}", past \`maxGenerations\` ${max}.`,
        taskPath: node.taskPath,
      });
    }
  }

  /** Drops the children a creator did not create again in the execution that just finished. */
  #dropStaleChildren(creator: RunNode): CreatedIds {
    const created = creator.takeCreated();
    if (!created && !this.#hadCreatedTasks) return undefined;
    // Dropping a child changes neither this list nor the creator: no copy needed.
    for (const child of creator.dependents) {
      if (
        child.task.createdBy === creator.task.id &&
        child.phase === WAITING &&
        !createdHas(created, child.task.id)
      ) {
        this.#drop(child);
      }
    }
    return created;
  }

  /** Journals a finished task, then the tasks it created (so a resume finds them with their creator). */
  #journalCompleted(node: RunNode, created: CreatedIds): void {
    this.journal(node);
    for (const id of createdList(created)) {
      const child = this.#node(id);
      if (child?.phase === WAITING) this.#record(child.task, false, true);
    }
  }

  /** Journals the current state of a task (`durable`: it must survive a crash at once, as an LLM response). */
  journal(node: RunNode, durable = false): void {
    if (this.shared.store) this.#record(node.task, durable, false);
  }

  #record(task: Task, durable: boolean, nested: boolean): void {
    const store = this.shared.store;
    if (!store) return;
    try {
      sealTask(this.graph, task);
      store.record(this.taskPath(task), taskLine(task, this.shared.storeOrigin, nested), durable);
    } catch (error) {
      this.shared.storeFailed(store.name, error);
    }
  }

  /** Removes a waiting task and everything that waits on it. */
  #drop(root: RunNode): void {
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop() as RunNode;
      if (node.phase === DROPPED) continue;
      node.phase = DROPPED;
      this.#total--;
      const { task } = node;
      this.#nodes[task.position] = undefined;
      this.graph.remove(task.id);
      const store = this.shared.store;
      if (store) {
        try {
          store.drop(this.taskPath(task));
        } catch (error) {
          this.shared.storeFailed(store.name, error);
        }
      }
      this.shared.emit?.({ type: 'task:dropped', taskPath: this.taskPath(task), kind: task.kind });
      for (const dependent of node.dependents) stack.push(dependent);
    }
  }

  /** A run of a nested graph of `task`, sharing this run's registry, limits and signal. */
  nested(task: Task, graph: TaskGraphBase): GraphRun {
    const depth = this.depth + 1;
    const max = this.shared.options.maxDepth;
    if (depth > max) {
      throw new LimitExceededError({
        limit: 'maxDepth',
        message: `TaskGraph.run: the graph of task "${this.taskPath(task).join(' > ')}" would be nested ${depth} levels deep, past \`maxDepth\` ${max}.`,
        taskPath: this.taskPath(task),
      });
    }
    return new GraphRun(graph, this.shared, this.taskPath(task), depth);
  }

  /** Positional dependency outputs, then the named ones as one object when the task has any. */
  dependencyValues(node: RunNode): unknown[] {
    const { task } = node;
    const { deps, dependencyTasks } = task;
    const values: unknown[] = new Array(deps.length);
    // The graph gave the task its dependencies' objects: read from them, unless the positional list
    // repeats an id or named dependencies come after it (then the objects are the distinct ids).
    if (task.dependencyIds === deps)
      for (let i = 0; i < deps.length; i++) values[i] = (dependencyTasks[i] as Task).output?.value;
    else for (let i = 0; i < deps.length; i++) values[i] = this.graph.task(deps[i] as string)?.output?.value;
    if (task.hasNamedDeps) {
      const named: Record<string, unknown> = {};
      for (const name of Object.keys(task.namedDeps))
        named[name] = this.graph.task(task.namedDeps[name] as string)?.output?.value;
      values.push(named);
    }
    return values;
  }
}
