import type { FunctionRegistry, TaskGraph } from '@taskgraph/core';

/**
 * What a module given to `taskgraph run <module>` (or to `--registry <module>`) exports. Named exports,
 * or the same fields on its default export.
 *
 * ```ts
 * export const registry = new FunctionRegistry().addHandler(new OpenAIHandler());
 * export function graph(input: { topic: string }) { … return graph; }
 * ```
 */
export interface ProgramModule {
  /**
   * The graph to run, or a function (maybe async) that builds it from the input given with `--input`
   * (called with `undefined` without `--input`). A graph given as such gets `--input` through setInput.
   * Needed by `run` only.
   */
  graph?: TaskGraph | ((input: unknown) => TaskGraph | Promise<TaskGraph>);
  /** The functions and LLM handlers, or a function (maybe async) returning them, called after `setup`. */
  registry: FunctionRegistry | (() => FunctionRegistry | Promise<FunctionRegistry>);
  /** Called first: starts what the handlers need (a local server, a connection…). */
  setup?: () => void | Promise<void>;
  /** Called last, whatever happened: stops what `setup` or `registry` started. */
  teardown?: () => void | Promise<void>;
}
