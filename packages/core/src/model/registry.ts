import { registerBuiltins } from './builtins.js';
import { TaskGraphError, UnknownFunctionError, UnknownHandlerError } from './errors.js';
import type { LLMHandler } from './llm-handler.js';
import type { TaskContext } from './task-context.js';
import type { TaskGraphBase } from './task-graph-base.js';

/**
 * A registered function: its id (what the trace stores), its version, and the function itself. `I` is
 * the graph input the function expects in `ctx.input` (`unknown` unless its `ctx` is annotated
 * `TaskContext<MyInput>`): a graph whose input type does not fit cannot use it.
 */
export interface FunctionDef<A extends unknown[] = never[], R = unknown, I = unknown> {
  readonly id: string;
  readonly version: string | undefined;
  readonly fn: (ctx: TaskContext<I>, ...args: A) => R | Promise<R>;
  /** Runs in the process that runs the graph, whatever the run's executor (see RegisterOptions.local). */
  readonly local?: boolean;
}

export interface RegisterOptions {
  /** Bump it when the function's behaviour changes: every task that used it re-runs on replay. */
  version?: string;
  /**
   * Run the function in the process that runs the graph, whatever the run's executor: a run on other
   * processes (`@taskgraph/bullmq`) calls it in process. For quick bookkeeping that reads what only this
   * process holds, such as an index kept by a graph hook (`onGraphStart`).
   */
  local?: boolean;
}

/**
 * Called each time a graph starts running, with the graph: the root graph once the results of the run's
 * trace store are in it, and each nested graph when its task starts it. It runs before any task of that
 * graph does, so it can index what the graph holds for the functions that read it.
 */
export type GraphStartHook = (graph: TaskGraphBase) => void;

/**
 * Function id to function, kept apart from the graph so the graph (and its trace) is pure data.
 * Holds the LLM handlers too. Built-in functions are registered from the start (see `builtins.ts`).
 */
export class FunctionRegistry {
  readonly #functions = new Map<string, FunctionDef<never[], unknown>>();
  readonly #handlers = new Map<string, LLMHandler>();
  /** The hooks `onGraphStart` added, in order. */
  readonly graphHooks: GraphStartHook[] = [];
  /** Typed handles of the built-in functions (`builtin.input`, `builtin.text`, `builtin.json`, `builtin.list`). */
  readonly builtins: ReturnType<typeof registerBuiltins>;

  constructor() {
    this.builtins = registerBuiltins(this);
  }

  /**
   * Registers `fn` under `id` and returns a typed handle: tasks built from the handle check their
   * dependencies against the function's parameters, and (when `ctx` is annotated `TaskContext<MyInput>`)
   * the graph's input type against `MyInput`.
   */
  register<A extends unknown[], R, I = unknown>(
    id: string,
    fn: (ctx: TaskContext<I>, ...args: A) => R,
    options: RegisterOptions = {},
  ): FunctionDef<A, Awaited<R>, I> {
    if (typeof id !== 'string' || id === '') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        'FunctionRegistry.register: `id` must be a non-empty string.',
      );
    }
    if (typeof fn !== 'function') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `FunctionRegistry.register: \`fn\` for "${id}" must be a function.`,
      );
    }
    if (this.#functions.has(id)) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `FunctionRegistry.register: "${id}" is already registered. Use another id, or a new version of a new registry.`,
      );
    }
    const def = (
      options.local ? { id, version: options.version, fn, local: true } : { id, version: options.version, fn }
    ) as FunctionDef<A, Awaited<R>, I>;
    this.#functions.set(id, def as unknown as FunctionDef<never[], unknown>);
    return def;
  }

  /** Adds every function of another registry (for example a package's functions) to this one. */
  include(other: FunctionRegistry): this {
    for (const def of other.#functions.values()) {
      if (!this.#functions.has(def.id)) this.#functions.set(def.id, def);
    }
    for (const handler of other.#handlers.values()) {
      if (!this.#handlers.has(handler.id)) this.#handlers.set(handler.id, handler);
    }
    for (const hook of other.graphHooks) if (!this.graphHooks.includes(hook)) this.graphHooks.push(hook);
    return this;
  }

  /**
   * Adds a hook called each time a graph starts running (see GraphStartHook); adding the same hook
   * again does nothing. A hook that throws stops the run with GRAPH_HOOK_FAILED.
   */
  onGraphStart(hook: GraphStartHook): this {
    if (typeof hook !== 'function') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        'FunctionRegistry.onGraphStart: `hook` must be a function.',
      );
    }
    if (!this.graphHooks.includes(hook)) this.graphHooks.push(hook);
    return this;
  }

  has(id: string): boolean {
    return this.#functions.has(id);
  }

  /** The function registered under `id`, or undefined. */
  find(id: string): FunctionDef<never[], unknown> | undefined {
    return this.#functions.get(id);
  }

  /** The function registered under `id`; throws UNKNOWN_FUNCTION listing the registered ids. */
  get(id: string, taskPath?: readonly string[] | (() => readonly string[])): FunctionDef<never[], unknown> {
    const def = this.#functions.get(id);
    if (!def) {
      const path = typeof taskPath === 'function' ? taskPath() : taskPath;
      throw new UnknownFunctionError('FunctionRegistry.get', {
        functionId: id,
        registered: this.ids(),
        taskPath: path,
      });
    }
    return def;
  }

  ids(): string[] {
    return [...this.#functions.keys()];
  }

  /** Adds an LLM handler under its `id`; a handler with the same id is replaced. */
  addHandler(handler: LLMHandler): this {
    if (!handler || typeof handler.call !== 'function' || typeof handler.id !== 'string') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        'FunctionRegistry.addHandler: `handler` must have a string `id` and a `call` method.',
      );
    }
    this.#handlers.set(handler.id, handler);
    return this;
  }

  /** The LLM handler registered under `id`; throws UNKNOWN_HANDLER listing the registered ids. */
  handler(id: string, taskPath?: readonly string[]): LLMHandler {
    const handler = this.#handlers.get(id);
    if (!handler)
      throw new UnknownHandlerError('FunctionRegistry.handler', {
        handlerId: id,
        registered: [...this.#handlers.keys()],
        taskPath,
      });
    return handler;
  }

  handlerIds(): string[] {
    return [...this.#handlers.keys()];
  }
}
