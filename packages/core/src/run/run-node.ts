import { stageFingerprint } from '../memo/fingerprints.js';
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

/**
 * A task's state in one run: the run keeps it, the task object holds only its definition and stored
 * state. It is also what the task's kind gets from the run while computing a stage (StageWorkEnv).
 */
export class RunNode implements StageWorkEnv, StageAcceptEnv {
  readonly task: Task;
  readonly run: GraphRun;
  readonly llm: undefined;
  phase = WAITING;
  /** Dependencies (and creator) not settled yet. */
  waiting = 0;
  /** Nodes waiting on this one. */
  dependents: RunNode[] = [];
  /** The positional dependencies' nodes. */
  depNodes: RunNode[] = [];
  /** The longest path ahead of the task, for queues of limited concurrency (see priorities.ts). */
  priority = 0;
  /** Tasks the task created in its current execution (their ids). */
  created: Set<string> | undefined;
  /** Creations between the task and the start of its creation chain; -1 until known (see CreationChains). */
  generation = -1;
  /** Id of the task at the start of its creation chain (its own id for a task not created while running). */
  root = '';
  /** The work the task does (its definition and dependency values), for the creation-loop check. */
  work: string | undefined;

  constructor(task: Task, run: GraphRun) {
    this.task = task;
    this.run = run;
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

  dependencyValues(): unknown[] {
    return this.run.dependencyValues(this);
  }

  fingerprint(stage: Stage): string {
    const { task } = this;
    return stageFingerprint(this.run.graph, task, stage, task.versions[stage]);
  }
}
