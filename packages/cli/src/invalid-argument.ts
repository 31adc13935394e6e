import type { TaskGraphErrorOptions } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';

/**
 * A bad argument on the command line (a missing file, a module of the wrong shape, an unknown task…).
 * The message reads `"taskgraph <command>: what is wrong. How to fix."`.
 */
export function invalidArgument(message: string, options: TaskGraphErrorOptions = {}): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', message, options);
}
