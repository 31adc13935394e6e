import { createdTaskId } from '../model/created-task-id.js';
import { DuplicateTaskError, TaskGraphError } from '../model/errors.js';
import type { JsonValue } from '../model/json-value.js';
import { keepShape, SHAPE_PLACEHOLDER } from '../model/keep-shape.js';
import type { Task } from '../model/task.js';
import type { TaskContext } from '../model/task-context.js';
import { taskFromSpec } from '../model/task-kinds.js';
import type {
  FunctionTaskSpec,
  GraphTaskSpec,
  HumanTaskSpec,
  LLMTaskSpec,
  TaskRef,
  TaskSpec,
} from '../model/task-spec.js';
import { FunctionCallData } from './function-call-data.js';
import type { FunctionCall } from './task-executor.js';

/**
 * The TaskContext of one function call. Reading `input` is recorded (the task's fingerprints then cover
 * the graph input); tasks added through it are checked as specs at once and handed to the scheduler
 * with the call's outcome, which adds them to the graph.
 */
export class CallContext implements TaskContext {
  declare readonly signal: AbortSignal;
  declare inputRead: boolean;
  /** Tasks added through the context, in order (made on the first one: most calls add none). */
  declare created: Task[] | undefined;
  readonly #call: FunctionCall;
  #ids: Set<string> | undefined;
  #open: boolean;

  constructor(call: FunctionCall, signal: AbortSignal) {
    this.#call = call;
    this.signal = signal;
    this.inputRead = false;
    this.created = undefined;
    this.#ids = undefined;
    this.#open = true;
  }

  get input(): unknown {
    this.inputRead = true;
    return this.#call.input;
  }

  get args(): JsonValue | undefined {
    return this.#call.taskArgs;
  }

  get taskId(): string {
    const call = this.#call;
    // In process, the task is at hand: no task path is built for it.
    if (call instanceof FunctionCallData) return call.node.task.id;
    const path = call.taskPath;
    return path[path.length - 1] as string;
  }

  get taskPath(): readonly string[] {
    return this.#call.taskPath;
  }

  /** Ends the call: tasks can no longer be added through this context. */
  close(): void {
    this.#open = false;
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

  addHuman<A extends unknown[], O = unknown>(spec: HumanTaskSpec<A, O>): TaskRef<O> {
    return this.#add('human', spec, 'ctx.addHuman');
  }

  #add<O>(kind: unknown, spec: { id: string } | undefined, api: string): TaskRef<O> {
    const creator = this.taskId;
    if (!this.#open) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: task "${creator}" can add tasks only while it runs (it has already finished).`,
        { taskPath: this.taskPath },
      );
    }
    const name = spec?.id;
    if (typeof name !== 'string' || name === '') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: \`id\` must be a non-empty string, the task's name among those "${creator}" creates (got ${String(name)}).`,
        { taskPath: this.taskPath },
      );
    }
    const id = createdTaskId(this.#call.lineage, name);
    const task = taskFromSpec(api, kind, spec, id, creator);
    const { created } = this;
    if (created === undefined) this.created = [task];
    else {
      if (this.#isCreated(created, id)) throw new DuplicateTaskError(api, id);
      created.push(task);
    }
    return task as TaskRef<O>;
  }

  /** Whether the call created a task with this id already: a scan while few, then a set of ids. */
  #isCreated(created: readonly Task[], id: string): boolean {
    if (created.length < 8) return created.some((task) => task.id === id);
    if (this.#ids === undefined) this.#ids = new Set(created.map((task) => task.id));
    if (this.#ids.has(id)) return true;
    this.#ids.add(id);
    return false;
  }
}

keepShape(new CallContext(SHAPE_PLACEHOLDER as FunctionCall, SHAPE_PLACEHOLDER as AbortSignal));
