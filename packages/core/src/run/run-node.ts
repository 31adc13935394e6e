import { stageFingerprint } from '../memo/fingerprints.js';
import { keepShape, SHAPE_PLACEHOLDER } from '../model/keep-shape.js';
import type { Stage, Task } from '../model/task.js';
import type { StageAcceptEnv, StageWorkEnv } from '../model/task-kind.js';
import type { GraphRun } from './graph-run.js';

// Where a task is in the current run.
export const WAITING = 1;
export const RUNNING = 2;
export const DONE = 3;
/** Failed, skipped or cancelled: settled without an output. */
export const STOPPED = 4;
/** Removed: its creator ran again and did not create it again. */
export const DROPPED = 5;
/** Waiting for a person's answer: settled for this run, not done. */
export const PAUSED = 6;

const NO_NODES: RunNode[] = [];

/** Ids of the tasks a task created in one execution: none, one (most creators), or a set. */
export type CreatedIds = string | Set<string> | undefined;

/** Whether `id` is one of `created`. */
export function createdHas(created: CreatedIds, id: string): boolean {
  return created === undefined ? false : typeof created === 'string' ? created === id : created.has(id);
}

/** The ids of `created`, in the order they were created. */
export function createdList(created: CreatedIds): Iterable<string> {
  return created === undefined ? NO_IDS : typeof created === 'string' ? [created] : created;
}

const NO_IDS: string[] = [];

/**
 * A task's state in one run: the run keeps it, the task object holds only its definition and stored
 * state. It is also what the task's kind gets from the run while computing a stage (StageWorkEnv).
 */
export class RunNode implements StageWorkEnv, StageAcceptEnv {
  declare readonly task: Task;
  declare readonly run: GraphRun;
  declare readonly llm: undefined;
  declare phase: number;
  /** Dependencies (and creator) not settled yet. */
  declare waiting: number;
  /** Nodes waiting on this one (a shared empty list until the first one: most tasks of wide graphs have none). */
  declare dependents: RunNode[];
  /** The longest path ahead of the task, for queues of limited concurrency (see priorities.ts). */
  declare priority: number;
  /** Tasks the task created in its current execution (their ids). */
  declare created: CreatedIds;
  /** Creations between the task and the start of its creation chain; -1 until known (see CreationChains). */
  declare generation: number;
  /** Id of the task at the start of its creation chain (its own id for a task not created while running). */
  declare root: string;
  /** The work the task does (its definition and dependency values), for the creation-loop check. */
  declare work: string | undefined;
  /** The node of the task that created it in this run (see CreationChains). */
  declare creator: RunNode | undefined;
  /** The creation ancestor its own created tasks are compared with besides the nearest (see CreationChains). */
  declare checkpoint: RunNode | undefined;

  // Fields are assigned here, not by initializers: one node is made per task and run.
  constructor(task: Task, run: GraphRun) {
    this.task = task;
    this.run = run;
    this.llm = undefined;
    this.phase = WAITING;
    this.waiting = 0;
    this.dependents = NO_NODES;
    this.priority = 0;
    this.created = undefined;
    this.generation = -1;
    this.root = '';
    this.work = undefined;
    this.creator = undefined;
    this.checkpoint = undefined;
  }

  get taskPath(): readonly string[] {
    return this.run.taskPath(this.task);
  }

  /**
   * The version of the registered function `fnId` a stage uses (undefined: the stage runs no function, or
   * the function has no version). An unknown function is UNKNOWN_FUNCTION naming this task.
   */
  fnVersion(fnId: string | undefined): string | undefined {
    if (fnId === undefined) return undefined;
    const registry = this.run.shared.registry;
    return (registry.find(fnId) ?? registry.get(fnId, this.taskPath)).version;
  }

  /** Records that the task created `id` in its current execution; false when it had created it already. */
  addCreated(id: string): boolean {
    const { created } = this;
    if (created === undefined) this.created = id;
    else if (typeof created === 'string') {
      if (created === id) return false;
      this.created = new Set([created, id]);
    } else {
      if (created.has(id)) return false;
      created.add(id);
    }
    return true;
  }

  /** The ids the task created in the execution that just finished; forgets them for the next one. */
  takeCreated(): CreatedIds {
    const { created } = this;
    this.created = undefined;
    return created;
  }

  /** Adds a node that waits on this one. */
  addDependent(node: RunNode): void {
    if (this.dependents === NO_NODES) this.dependents = [node];
    else this.dependents.push(node);
  }

  dependencyValues(): unknown[] {
    return this.run.dependencyValues(this);
  }

  fingerprint(stage: Stage): string {
    const { task } = this;
    return stageFingerprint(this.run.graph, task, stage, task.versions[stage]);
  }
}

keepShape(new RunNode(SHAPE_PLACEHOLDER as Task, SHAPE_PLACEHOLDER as GraphRun));
