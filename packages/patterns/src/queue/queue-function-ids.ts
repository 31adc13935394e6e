/** Ids of the queue's registered functions, as traces store them (see registerQueue). */
export const QUEUE_FUNCTIONS = {
  /** One queue operation: reads the queue from its dependency, outputs the QueueRecord. */
  op: 'patterns.queue.op',
  /** markDone or markFailed of a worker's task, from the worker's outcome. */
  settle: 'patterns.queue.settle',
  /** Runs a worker function on a claimed task; a throw becomes a failed outcome. */
  work: 'patterns.queue.work',
  /** One round of workers: claims tasks, runs them in parallel, settles them, starts the next round. */
  round: 'patterns.queue.round',
} as const;
