import type { FunctionDef, TaskContext, TaskGraph, TaskRef } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import type { QueueItem, QueueState } from './queue-state.js';
import type { QueueRecord } from './run-queue-operation.js';

const { op: OP, work: WORK, settle: SETTLE, round: ROUND } = QUEUE_FUNCTIONS;

/** Constant arguments of a round task. */
export interface RoundArgs {
  queue: string;
  /** Id of the registered worker function, and its version (so that a new version re-runs the work). */
  worker: string;
  version: string | null;
  /** Most tasks worked on at once; null for all the pending ones. */
  parallel: number | null;
  round: number;
  /** Id of the task whose output holds the queue this round starts from. */
  source: string;
}

export interface RoundOutput {
  round: number;
  /** The tasks this round claimed, in order; empty when the queue was empty (the last round). */
  claimed: QueueItem[];
}

export interface QueueWorkersOptions {
  /** The queue's name and the id of its first task. */
  id: string;
  /** The tasks to work on. */
  tasks: readonly QueueItem[];
  /** Called once per task as `worker(ctx, task)`; what it returns is the task's result, a throw fails the task. */
  worker: FunctionDef<[QueueItem], unknown> | FunctionDef<never[], unknown>;
  /** Most tasks worked on at once (default: every pending task in one round). */
  parallel?: number;
}

/**
 * Turns each task of a queue into a node of the graph. Round after round: claim tasks with getNext (one
 * named worker each, operations one after the other), run a worker node per task, all at once, then
 * markDone each task whose node returned and markFailed each one whose node threw, with the error. Every
 * step is a task: `<id>` adds the tasks, `<id>.rounds` starts the first round.
 */
export function addQueueWorkers(
  graph: TaskGraph,
  options: QueueWorkersOptions,
): { add: TaskRef<QueueRecord>; rounds: TaskRef<RoundOutput> } {
  const { id, parallel } = options;
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1)) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `addQueueWorkers: \`parallel\` must be an integer from 1 up (got ${String(parallel)}) for queue "${id}".`,
    );
  }
  const add = graph.addFunction<[], QueueRecord>({
    id,
    fn: OP,
    args: { queue: id, op: 'addTasks', args: { tasks: [...options.tasks] } },
  });
  const args: RoundArgs = {
    queue: id,
    worker: options.worker.id,
    version: options.worker.version ?? null,
    parallel: parallel ?? null,
    round: 1,
    source: id,
  };
  const rounds = graph.addFunction<[QueueRecord], RoundOutput>({
    id: `${id}.rounds`,
    fn: ROUND,
    deps: [add],
    args: { ...args },
  });
  return { add, rounds };
}

/** The body of a round task: creates its claims, workers, settlements and the next round. */
export function addWorkRound(ctx: TaskContext, state: QueueState, args: RoundArgs): RoundOutput {
  const count = Math.min(args.parallel ?? Number.POSITIVE_INFINITY, state.pending.length);
  const claimed = state.pending.slice(0, count);
  if (count === 0) return { round: args.round, claimed };
  let last: string = args.source;
  const work: TaskRef[] = [];
  for (let i = 1; i <= count; i++) {
    const claim = ctx.addFunction({
      id: `claim-${i}`,
      fn: OP,
      deps: [last],
      args: { queue: args.queue, op: 'getNext', args: { worker: `w${i}` } },
    });
    last = claim.id;
    work.push(
      ctx.addFunction({
        id: `work-${i}`,
        fn: WORK,
        deps: [claim],
        args: { worker: args.worker, version: args.version },
      }),
    );
  }
  for (let i = 1; i <= count; i++) {
    last = ctx.addFunction({
      id: `settle-${i}`,
      fn: SETTLE,
      deps: [last, work[i - 1] as TaskRef],
      args: { queue: args.queue, worker: `w${i}` },
    }).id;
  }
  ctx.addFunction({
    id: 'next',
    fn: ROUND,
    deps: [last],
    args: { ...args, round: args.round + 1, source: last },
  });
  return { round: args.round, claimed };
}
