import { TaskGraphError } from './errors.js';

/** Tasks and functions to re-run whatever the memo says. */
export interface ForceOptions {
  /** Tasks to re-run (every stage): an id of the root graph, or a path `["graphTask", "inner"]`. */
  tasks?: ReadonlyArray<string | readonly string[]>;
  /** Function ids: every stage that uses one re-runs (a parser id re-runs parsers only, not LLM calls). */
  functions?: readonly string[];
}

/** The forced tasks and functions of a run, looked up by task path and function id. */
export class ForceSet {
  readonly #tasks = new Set<string>();
  readonly #functions: ReadonlySet<string>;
  readonly empty: boolean;

  constructor(options: ForceOptions = {}) {
    for (const task of options.tasks ?? []) {
      const path = typeof task === 'string' ? [task] : task;
      if (!Array.isArray(path) || path.length === 0 || path.some((id) => typeof id !== 'string')) {
        throw new TaskGraphError(
          'INVALID_ARGUMENT',
          `force.tasks: ${JSON.stringify(task)} is not a task id or a path of ids.`,
        );
      }
      this.#tasks.add(path.join('\u0000'));
    }
    this.#functions = new Set(options.functions ?? []);
    this.empty = this.#tasks.size === 0 && this.#functions.size === 0;
  }

  /** Whether a stage of the task at `taskPath` that uses function `fnId` must re-run. */
  has(taskPath: readonly string[], fnId: string | undefined): boolean {
    if (this.empty) return false;
    return this.#tasks.has(taskPath.join('\u0000')) || (fnId !== undefined && this.#functions.has(fnId));
  }
}
