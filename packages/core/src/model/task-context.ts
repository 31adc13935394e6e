import type { JsonValue } from './json-value.js';
import type {
  FunctionTaskSpec,
  GraphTaskSpec,
  HumanTaskSpec,
  LLMTaskSpec,
  TaskRef,
  TaskSpec,
} from './task-spec.js';

/**
 * What every registered function receives first. Reading `input` records that the task depends on the
 * graph input, so that a change of the input re-runs exactly the tasks that read it.
 */
export interface TaskContext<I = unknown> {
  /** The input of the graph the task belongs to. */
  readonly input: I;
  /** The task's constant `args` (undefined when it has none). */
  readonly args: JsonValue | undefined;
  /** The task's id within its graph. */
  readonly taskId: string;
  /** The task's path from the root graph: ids of enclosing graph tasks, then its own id. */
  readonly taskPath: readonly string[];
  /** Fires when the run is cancelled or fails; pass it to anything that can be aborted. */
  readonly signal: AbortSignal;
  /**
   * Adds a task to the running graph. Its id is this task's id, a slash and the given `id`
   * (`"planner/step-1"`), so a replay finds it again. It starts once this task has finished and its own
   * dependencies are done.
   */
  addTask<O>(spec: TaskSpec<O, I>): TaskRef<O>;
  addFunction<A extends unknown[], O>(spec: FunctionTaskSpec<A, O, I>): TaskRef<O>;
  addLLM<A extends unknown[], O = string>(spec: LLMTaskSpec<A, O, I>): TaskRef<O>;
  addGraph<A extends unknown[], O>(spec: GraphTaskSpec<A, O, I>): TaskRef<O>;
  addHuman<A extends unknown[], O = unknown>(spec: HumanTaskSpec<A, O, I>): TaskRef<O>;
}

/** A function that a task runs: the context, then the positional dependency outputs, then the named ones. */
export type TaskFunction<A extends unknown[] = never[], R = unknown> = (ctx: TaskContext, ...args: A) => R;
