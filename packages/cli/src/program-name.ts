import { dirname, relative, resolve, sep } from 'node:path';

/**
 * The name under which `taskgraph run` records a program in its trace: the module's path relative to
 * the trace's folder, with `/` separators, so that it stays the same from any working directory and when
 * the project moves as a whole.
 */
export function programName(modulePath: string, tracePath: string): string {
  return relative(dirname(resolve(tracePath)), resolve(modulePath))
    .split(sep)
    .join('/');
}
