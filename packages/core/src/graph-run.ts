import { checkFunctions } from './check-functions.js';
import { checkCreationLoop } from './creation-loop.js';
import { serializeError } from './error-data.js';
import { DuplicateTaskError, LimitExceededError, TaskGraphError } from './errors.js';
import { executeTask } from './execute-task.js';
import { BudgetExceededError } from './llm-budget.js';
import { sealFingerprints, storedStageMatches } from './memo.js';
import { assignPriorities } from './priorities.js';
import { RunContext } from './run-context.js';
import type { SharedRun } from './shared-run.js';
import type { AnyTask, GraphTask, Stage, TaskKind } from './task.js';
import { taskFromSpec } from './task-from-spec.js';
import type { TaskGraph } from './task-graph.js';
import type { TaskRef } from './task-spec.js';
import { definitionKey } from './trace-write.js';

/** Epoch ms at which performance.now() counts from; read once. */
const TIME_ORIGIN = performance.timeOrigin;

// Where a task is in the current run.
const WAITING = 1;
const RUNNING = 2;
const DONE = 3;
/** Failed, skipped or cancelled: settled without an output. */
const STOPPED = 4;
/** Removed: its creator ran again and did not create it again. */
const DROPPED = 5;

/**
 * Runs one graph (the root or a nested one) by dataflow: a task starts the moment its last dependency is
 * done. Ready tasks go through one queue drained in a loop, so long chains of synchronous functions
 * never grow the stack.
 */
export class GraphRun {
  readonly #ready: AnyTask[] = [];
  #head = 0;
  #draining = false;
  #total = 0;
  #settled = 0;
  #running = 0;
  #finished = false;
  /** Whether the graph held tasks created while running when the run started (their creator may drop them). */
  #hadCreatedTasks = false;
  /** Whether ready tasks are started by priority (a queue of limited concurrency is in play). */
  #prioritized = false;
  #resolve: () => void = () => {};
  /** Ids each creator has created in its current execution. */
  readonly #created = new Map<AnyTask, Set<string>>();
  /** Whether any task of this graph (or a nested one) did work in this run, instead of being reused. */
  executed = false;

  constructor(
    readonly graph: TaskGraph,
    readonly shared: SharedRun,
    readonly path: readonly string[],
    readonly depth: number,
  ) {}

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
    for (const task of graph.tasks()) {
      task.phase = WAITING;
      task.dependents = [];
    }
    for (const task of graph.tasks()) {
      task.waiting = task.dependencyIds.length;
      for (const id of task.dependencyIds) (graph.task(id) as AnyTask).dependents.push(task);
      task.depTasks = resolveDeps(graph, task);
      if (task.createdBy !== undefined) {
        this.#hadCreatedTasks = true;
        task.waiting++;
        (graph.task(task.createdBy) as AnyTask).dependents.push(task);
      }
    }
    this.#total = graph.size;
    this.#prioritized = this.shared.functionLimit !== undefined || this.#hasLLMTasks();
    if (this.#prioritized) assignPriorities([...graph.tasks()]);
    for (const task of graph.tasks()) if (task.waiting === 0) this.#ready.push(task);
    this.#drain();
    this.#checkFinished();
    return done;
  }

  #hasLLMTasks(): boolean {
    for (const task of this.graph.tasks()) if (task.kind !== 'function') return true;
    return false;
  }

  /** Orders the ready tasks not started yet by priority, highest first; returns the end of the sorted part. */
  #sortReady(): number {
    const pending = this.#ready.slice(this.#head).sort((a, b) => b.priority - a.priority);
    this.#ready.splice(this.#head, pending.length, ...pending);
    return this.#ready.length;
  }

  onStop(): void {
    this.#checkFinished();
  }

  taskPath(task: AnyTask): string[] {
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
      const task = ready[this.#head++] as AnyTask;
      if (task.phase !== WAITING) continue;
      task.phase = RUNNING;
      this.#running++;
      executeTask(this, task);
    }
    if (this.#head >= ready.length) {
      ready.length = 0;
      this.#head = 0;
    }
    this.#draining = false;
  }

  /**
   * Whether the stored value of a stage may be used: it exists, is not forced, and its fingerprint
   * matches the values the graph holds now.
   */
  canReuse(task: AnyTask, stage: Stage, fnId: string | undefined, version: string | undefined): boolean {
    if (!task.slot(stage)) return false;
    if (!this.shared.force.empty && this.shared.force.has(this.taskPath(task), fnId)) return false;
    return storedStageMatches(this.graph, task, stage, version).reuse;
  }

  /** Marks the start of real work on a task (not a reuse). */
  begin(task: AnyTask): void {
    if (task.status === 'running') return;
    this.executed = true;
    task.status = 'running';
    task.attempts++;
    task.startedAt = TIME_ORIGIN + performance.now();
    this.shared.emit?.({ type: 'task:start', taskPath: this.taskPath(task), kind: task.kind });
  }

  /** The task's stored result was valid: nothing ran. */
  reused(task: AnyTask): void {
    task.status = 'done';
    task.error = undefined;
    this.shared.emit?.({ type: 'task:reused', taskPath: this.taskPath(task), kind: task.kind });
    this.#settleDone(task);
  }

  /** The task ran and produced its output. */
  completed(task: AnyTask): void {
    if (task.phase !== RUNNING) return;
    task.status = 'done';
    task.error = undefined;
    task.durationMs = TIME_ORIGIN + performance.now() - (task.startedAt ?? 0);
    this.shared.emit?.({
      type: 'task:done',
      taskPath: this.taskPath(task),
      kind: task.kind,
      durationMs: task.durationMs,
    });
    const created = this.#dropStaleChildren(task);
    if (this.shared.journal) this.#journalCompleted(task, created);
    this.#settleDone(task);
  }

  #settleDone(task: AnyTask): void {
    this.#running--;
    this.#settled++;
    task.phase = DONE;
    for (const dependent of task.dependents) {
      if (dependent.phase === WAITING && --dependent.waiting === 0) this.#ready.push(dependent);
    }
    this.#drain();
    this.#checkFinished();
  }

  failed(task: AnyTask, error: unknown): void {
    if (task.phase !== RUNNING) return;
    this.#running--;
    this.#settled++;
    task.phase = STOPPED;
    task.error = serializeError(error);
    // A failed task keeps no output (an LLM task keeps its prompt and response: a parser failure costs no call).
    task.output = undefined;
    delete task.fingerprints.output;
    if (task.startedAt !== undefined) task.durationMs = TIME_ORIGIN + performance.now() - task.startedAt;
    const taskPath = this.taskPath(task);
    // A GraphTask whose nested task failed has failed too, even though that failure stopped the run.
    const nestedFailure =
      task.kind === 'graph' && error instanceof TaskGraphError && error.code === 'TASK_FAILED';
    if (nestedFailure) {
      task.status = 'failed';
      this.journal(task);
      this.shared.emit?.({ type: 'task:failed', taskPath, kind: task.kind, error: task.error });
      if (this.shared.options.continueOnError && !this.shared.stopped) this.#skipDependents(task);
    } else if (this.shared.stopped) {
      task.status = 'cancelled';
      this.shared.emit?.({ type: 'task:cancelled', taskPath, kind: task.kind });
    } else {
      task.status = 'failed';
      this.journal(task);
      this.shared.recordFailure(taskPath, error);
      this.shared.emit?.({ type: 'task:failed', taskPath, kind: task.kind, error: task.error });
      if (error instanceof BudgetExceededError) this.shared.stop(error, false);
      else if (error instanceof LimitExceededError) this.shared.stop(error);
      else if (!this.shared.options.continueOnError) {
        this.shared.stop(
          new TaskGraphError(
            'CANCELLED',
            `TaskGraph.run: stopped because task "${taskPath.join(' > ')}" failed.`,
            {
              taskPath,
              cause: error,
            },
          ),
        );
      } else this.#skipDependents(task);
    }
    this.#drain();
    this.#checkFinished();
  }

  #skipDependents(failed: AnyTask): void {
    const stack = [failed];
    while (stack.length > 0) {
      const task = stack.pop() as AnyTask;
      for (const dependent of task.dependents) {
        if (dependent.phase !== WAITING) continue;
        dependent.phase = STOPPED;
        dependent.status = 'skipped';
        this.#settled++;
        this.shared.emit?.({
          type: 'task:skipped',
          taskPath: this.taskPath(dependent),
          kind: dependent.kind,
          failedDependency: failed.id,
        });
        stack.push(dependent);
      }
    }
  }

  #checkFinished(): void {
    if (this.#finished || this.#running > 0) return;
    if (this.#settled < this.#total && !this.shared.stopped) return;
    this.#finished = true;
    this.shared.active.delete(this);
    this.graph.running = false;
    this.#resolve();
  }

  /** Adds a task created by `creator` while it runs (ctx.addTask). */
  addCreated<O>(creator: AnyTask, kind: TaskKind, spec: { id: string }, api: string): TaskRef<O> {
    if (creator.phase !== RUNNING) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: task "${creator.id}" can add tasks only while it runs (it has already finished).`,
        { taskPath: this.taskPath(creator) },
      );
    }
    const id = `${creator.id}/${spec?.id}`;
    const task = taskFromSpec(api, kind, spec, id, creator.id);
    checkFunctions(this.shared.registry, task, this.taskPath(task));
    const created = this.#created.get(creator) ?? new Set<string>();
    this.#created.set(creator, created);
    if (created.has(id)) throw new DuplicateTaskError(api, id);
    created.add(id);
    const existing = this.graph.task(id);
    if (existing) {
      if (existing.createdBy !== creator.id) throw new DuplicateTaskError(api, id);
      if (existing.phase === WAITING && definitionKey(existing) === definitionKey(task))
        return existing as TaskRef<O>;
      this.#drop(existing);
    }
    try {
      this.#checkDepth(creator, task);
      checkCreationLoop(this.graph, creator, task, this.taskPath(task));
      this.shared.countTasks(task.kind === 'graph' ? 1 + task.graph.size : 1, this.taskPath(task));
    } catch (error) {
      // A limit ends the run even if the creating task catches the error.
      if (error instanceof LimitExceededError) this.shared.stop(error);
      throw error;
    }
    this.graph.add(task, api);
    this.#total++;
    task.phase = WAITING;
    task.dependents = [];
    task.depTasks = resolveDeps(this.graph, task);
    task.waiting = 1;
    creator.dependents.push(task);
    let failedDependency: string | undefined;
    for (const depId of task.dependencyIds) {
      const dep = this.graph.task(depId) as AnyTask;
      if (dep.phase === DONE) continue;
      if (dep.phase === STOPPED) failedDependency ??= dep.id;
      task.waiting++;
      dep.dependents.push(task);
    }
    this.shared.emit?.({
      type: 'task:added',
      taskPath: this.taskPath(task),
      kind: task.kind,
      createdBy: creator.id,
    });
    if (failedDependency !== undefined) this.#skipCreated(task, failedDependency);
    return task as TaskRef<O>;
  }

  #skipCreated(task: AnyTask, failedDependency: string): void {
    task.phase = STOPPED;
    task.status = 'skipped';
    this.#settled++;
    this.shared.emit?.({
      type: 'task:skipped',
      taskPath: this.taskPath(task),
      kind: task.kind,
      failedDependency,
    });
  }

  #checkDepth(creator: AnyTask, task: AnyTask): void {
    let depth = this.depth + 1;
    for (let id = creator.createdBy; id !== undefined; id = this.graph.task(id)?.createdBy) depth++;
    if (depth > this.shared.options.maxDepth) {
      throw new LimitExceededError(
        'maxDepth',
        `TaskGraph.run: task "${task.id}" would be ${depth} levels deep (nested graphs plus tasks created by tasks), past \`maxDepth\` ${this.shared.options.maxDepth}.`,
        this.taskPath(task),
      );
    }
  }

  /** Drops the children a creator did not create again in the execution that just finished. */
  #dropStaleChildren(creator: AnyTask): ReadonlySet<string> | undefined {
    const created = this.#created.get(creator);
    if (!created && !this.#hadCreatedTasks) return undefined;
    this.#created.delete(creator);
    for (const child of [...creator.dependents]) {
      if (child.createdBy === creator.id && child.phase === WAITING && !created?.has(child.id)) {
        this.#drop(child);
      }
    }
    return created;
  }

  /** Journals a finished task, then the tasks it created (so a resume finds them with their creator). */
  #journalCompleted(task: AnyTask, created: ReadonlySet<string> | undefined): void {
    this.journal(task);
    for (const id of created ?? []) {
      const child = this.graph.task(id);
      if (child?.phase === WAITING)
        this.shared.journal?.record(this.graph, child, this.taskPath(child), false, true);
    }
  }

  /** Journals the current state of a task (`now`: written at once, as an LLM response is). */
  journal(task: AnyTask, now = false): void {
    this.shared.journal?.record(this.graph, task, this.taskPath(task), now);
  }

  /** Removes a waiting task and everything that waits on it. */
  #drop(root: AnyTask): void {
    const stack = [root];
    while (stack.length > 0) {
      const task = stack.pop() as AnyTask;
      if (task.phase === DROPPED) continue;
      task.phase = DROPPED;
      this.#total--;
      this.graph.remove(task.id);
      this.shared.journal?.drop(this.taskPath(task));
      this.shared.emit?.({ type: 'task:dropped', taskPath: this.taskPath(task), kind: task.kind });
      for (const dependent of task.dependents) stack.push(dependent);
    }
  }

  /** A run of the nested graph of `task`, sharing this run's registry, limits and signal. */
  nested(task: GraphTask): GraphRun {
    return new GraphRun(task.graph, this.shared, this.taskPath(task), this.depth + 1);
  }

  /** The context handed to the functions of `task`. */
  context(task: AnyTask, signal?: AbortSignal): RunContext {
    return new RunContext(this, task, signal);
  }
}

function resolveDeps(graph: TaskGraph, task: AnyTask): AnyTask[] {
  const { deps } = task;
  const resolved: AnyTask[] = new Array(deps.length);
  for (let i = 0; i < deps.length; i++) resolved[i] = graph.task(deps[i] as string) as AnyTask;
  return resolved;
}
