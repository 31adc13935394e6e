import { TaskGraphError } from '../model/errors.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';

/**
 * Refuses to run on a trace file that another program wrote: both the stored trace and this run name
 * their program (the `program` run option), and the names differ. A trace or a run without a name is
 * not checked.
 */
export function checkTraceProgram(stored: TaskGraphBase, program: string | undefined, path: string): void {
  const owner = stored.runInfo?.program;
  if (program === undefined || owner === undefined || owner === program) return;
  throw new TaskGraphError(
    'TRACE_OF_ANOTHER_PROGRAM',
    `TaskGraph.run: the trace "${path}" was written by the program "${owner}", not by "${program}". Give this run another trace path, or delete that trace to replace it.`,
  );
}
