import type { Task } from '../model/task.js';

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

  constructor(task: Task) {
    this.task = task;
  }
}
