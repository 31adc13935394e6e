import type { GraphRun } from './graph-run.js';
import type { AnyTask, TaskKind } from './task.js';
import type { TaskContext } from './task-context.js';
import type { FunctionTaskSpec, GraphTaskSpec, LLMTaskSpec, TaskRef, TaskSpec } from './task-spec.js';
import type { JsonValue } from './value-codec.js';

/** The TaskContext of one task in one run. */
export class RunContext implements TaskContext {
  readonly #run: GraphRun;
  readonly #task: AnyTask;
  readonly #signal: AbortSignal | undefined;

  constructor(run: GraphRun, task: AnyTask, signal?: AbortSignal) {
    this.#run = run;
    this.#task = task;
    this.#signal = signal;
  }

  get input(): unknown {
    this.#task.readsInput = true;
    return this.#run.graph.inputSlot?.value;
  }

  get args(): JsonValue | undefined {
    return this.#task.args;
  }

  get taskId(): string {
    return this.#task.id;
  }

  get taskPath(): readonly string[] {
    return this.#run.taskPath(this.#task);
  }

  get signal(): AbortSignal {
    return this.#signal ?? this.#run.shared.signal;
  }

  addTask<O>(spec: TaskSpec<O>): TaskRef<O> {
    return this.#add(spec?.kind, spec, 'ctx.addTask');
  }

  addFunction<A extends unknown[], O>(spec: FunctionTaskSpec<A, O>): TaskRef<O> {
    return this.#add('function', spec, 'ctx.addFunction');
  }

  addLLM<A extends unknown[], O = string>(spec: LLMTaskSpec<A, O>): TaskRef<O> {
    return this.#add('llm', spec, 'ctx.addLLM');
  }

  addGraph<A extends unknown[], O>(spec: GraphTaskSpec<A, O>): TaskRef<O> {
    return this.#add('graph', spec, 'ctx.addGraph');
  }

  #add<O>(kind: TaskKind, spec: { id: string }, api: string): TaskRef<O> {
    return this.#run.addCreated<O>(this.#task, kind, spec, api);
  }
}
