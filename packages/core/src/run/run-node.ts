import type { Task } from '../model/task.js';

// Where a task is in the current run.
export const WAITING = 1;
export const RUNNING = 2;
export const DONE = 3;
/** Failed, skipped or cancelled: settled without an output. */
export const STOPPED = 4;
/** Removed: its creator ran again and did not create it again. */
export const DROPPED = 5;

/** A task's state in one run: the run keeps it, the task object holds only its definition and stored state. */
export class RunNode {
  readonly task: Task;
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

  constructor(task: Task) {
    this.task = task;
  }
}
