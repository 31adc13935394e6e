/**
 * Every error the engine throws is a TaskGraphError with a stable `code`. Tests and callers branch on
 * `code`, never on the message. Messages read `"<Api>.<method>: what is wrong. How to fix."` and name the
 * task id, function id or JSON path involved.
 */
/**
 * Every code core's errors carry: a closed list, stable across versions. Other packages declare their own
 * (`@taskgraph/openai`'s OPENAI_ERROR_CODES…) and throw TaskGraphError with them.
 */
export const CORE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'DUPLICATE_TASK',
  'UNKNOWN_DEPENDENCY',
  'CYCLE',
  'UNKNOWN_FUNCTION',
  'UNKNOWN_HANDLER',
  'INVALID_TRACE',
  'UNSUPPORTED_TRACE_VERSION',
  'OUTPUT_INVALID',
  'TASK_FAILED',
  'CANCELLED',
  'LIMIT_EXCEEDED',
  'RUN_IN_PROGRESS',
  'TIMEOUT',
  'TRACE_WRITE_FAILED',
  'LLM_CALL_FAILED',
  'BUDGET_EXCEEDED',
  'REPLAY_MISS',
  'OUTPUT_PARSE',
  'AWAITING_ANSWERS',
  'ANSWER_INVALID',
  'ANSWER_DEADLINE',
  'TRACE_OF_ANOTHER_PROGRAM',
  'GRAPH_HOOK_FAILED',
] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];
/** A code of core's errors. */
export type ErrorCode = CoreErrorCode;

/** Whether `code` is one of core's codes. */
export function isCoreErrorCode(code: unknown): code is CoreErrorCode {
  return (CORE_ERROR_CODES as readonly unknown[]).includes(code);
}

import type { TraceDocument } from '../trace/trace-schema.js';
import type { HumanQuestion } from './task-kind.js';

export interface TaskGraphErrorOptions {
  cause?: unknown;
  /** The task the error is about, as a path from the root graph (`["outer", "inner"]`). */
  taskPath?: readonly string[];
}

/**
 * The one base error. `C` is the code list of the package that throws it: core's by default; another
 * package names its own (`new TaskGraphError<OpenAIErrorCode>('LLM_CONFIG', …)`).
 */
export class TaskGraphError<C extends string = CoreErrorCode> extends Error {
  override readonly name: string = 'TaskGraphError';
  readonly code: C;
  readonly taskPath: readonly string[] | undefined;
  /** The trace of the run, for errors with which TaskGraph.run rejects: everything finished is in it. */
  trace: TraceDocument | undefined;

  constructor(code: NoInfer<C>, message: string, options: TaskGraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.taskPath = options.taskPath;
  }

  /** The task id the error is about (the innermost one for tasks of nested graphs). */
  get taskId(): string | undefined {
    return this.taskPath?.[this.taskPath.length - 1];
  }
}

/** A task id used twice in one graph. */
export class DuplicateTaskError extends TaskGraphError {
  override readonly name = 'DuplicateTaskError';
  constructor(api: string, id: string) {
    super(
      'DUPLICATE_TASK',
      `${api}: a task with id "${id}" is already in the graph. Give each task its own id.`,
      {
        taskPath: [id],
      },
    );
  }
}

/** A dependency on a task that is not (yet) in the graph. */
export class UnknownDependencyError extends TaskGraphError {
  override readonly name = 'UnknownDependencyError';
  readonly dependency: string;
  constructor(api: string, { taskId, dependency }: { taskId: string; dependency: string }) {
    super(
      'UNKNOWN_DEPENDENCY',
      `${api}: task "${taskId}" depends on "${dependency}", which is not in the graph. Add "${dependency}" first; a task may only depend on tasks already added.`,
      { taskPath: [taskId] },
    );
    this.dependency = dependency;
  }
}

/** Dependencies that would form a cycle. */
export class CycleError extends TaskGraphError {
  override readonly name = 'CycleError';
  readonly cycle: readonly string[];
  constructor(api: string, cycle: readonly string[]) {
    super(
      'CYCLE',
      `${api}: the dependencies form a cycle (${cycle.join(' -> ')}). A task graph must be acyclic.`,
      {
        taskPath: cycle.slice(0, 1),
      },
    );
    this.cycle = cycle;
  }
}

/** A function id (or LLM handler id) that the registry does not hold. */
export class UnknownFunctionError extends TaskGraphError {
  override readonly name = 'UnknownFunctionError';
  readonly functionId: string;
  readonly registered: readonly string[];
  constructor(
    api: string,
    {
      functionId,
      registered,
      taskPath,
    }: { functionId: string; registered: readonly string[]; taskPath?: readonly string[] | undefined },
  ) {
    const where = taskPath ? ` (used by task "${taskPath.join(' > ')}")` : '';
    super(
      'UNKNOWN_FUNCTION',
      `${api}: no function "${functionId}" is registered${where}. Registered functions: ${registered.join(', ') || '(none)'}.`,
      taskPath ? { taskPath } : {},
    );
    this.functionId = functionId;
    this.registered = registered;
  }
}

/** An LLM handler id that the registry does not hold. */
export class UnknownHandlerError extends TaskGraphError {
  override readonly name = 'UnknownHandlerError';
  readonly handlerId: string;
  constructor(
    api: string,
    {
      handlerId,
      registered,
      taskPath,
    }: { handlerId: string; registered: readonly string[]; taskPath?: readonly string[] | undefined },
  ) {
    const where = taskPath ? ` (used by task "${taskPath.join(' > ')}")` : '';
    super(
      'UNKNOWN_HANDLER',
      `${api}: no LLM handler "${handlerId}" is registered${where}. Registered handlers: ${registered.join(', ') || '(none)'}. Add one with registry.addHandler().`,
      taskPath ? { taskPath } : {},
    );
    this.handlerId = handlerId;
  }
}

/** A trace document that does not match the format; `path` is the JSON path of the first problem. */
export class InvalidTraceError extends TaskGraphError {
  override readonly name = 'InvalidTraceError';
  readonly path: string;
  constructor(
    api: string,
    { path, problem, ...options }: { path: string; problem: string } & TaskGraphErrorOptions,
  ) {
    super('INVALID_TRACE', `${api}: invalid trace at ${path}: ${problem}`, options);
    this.path = path;
  }
}

/** A trace written by a newer format version than this package reads. */
export class UnsupportedTraceVersionError extends TaskGraphError {
  override readonly name = 'UnsupportedTraceVersionError';
  readonly version: unknown;
  constructor(api: string, { version, supported }: { version: unknown; supported: number }) {
    super(
      'UNSUPPORTED_TRACE_VERSION',
      `${api}: the trace has format version ${JSON.stringify(version)}, and this version of @taskgraph/core reads version ${supported}. Upgrade @taskgraph/core to read it.`,
    );
    this.version = version;
  }
}

/** A task's output failed the zod schema the task declares. */
export class OutputInvalidError extends TaskGraphError {
  override readonly name = 'OutputInvalidError';
  constructor(taskPath: readonly string[], problem: string) {
    super(
      'OUTPUT_INVALID',
      `TaskGraph.run: the output of task "${taskPath.join(' > ')}" fails its schema: ${problem}`,
      { taskPath },
    );
  }
}

/** A task failed; `taskPath` names it, `failures` lists every failure of the run, `cause` is what it threw. */
export class TaskFailedError extends TaskGraphError {
  override readonly name = 'TaskFailedError';
  readonly failures: ReadonlyArray<{ taskPath: readonly string[]; error: unknown }>;
  constructor(failures: ReadonlyArray<{ taskPath: readonly string[]; error: unknown }>) {
    const first = failures[0] as { taskPath: readonly string[]; error: unknown };
    const reason = first.error instanceof Error ? first.error.message : String(first.error);
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed)` : '';
    super('TASK_FAILED', `TaskGraph.run: task "${first.taskPath.join(' > ')}" failed${more}: ${reason}`, {
      taskPath: first.taskPath,
      cause: first.error,
    });
    this.failures = failures;
  }
}

/** The run was cancelled through its signal. */
export class CancelledError extends TaskGraphError {
  override readonly name = 'CancelledError';
  constructor(message = 'TaskGraph.run: the run was cancelled through its signal.', cause?: unknown) {
    super('CANCELLED', message, cause === undefined ? {} : { cause });
  }
}

/** A limit of the run (task count, nesting depth, creation loop) was reached. */
export class LimitExceededError extends TaskGraphError {
  override readonly name = 'LimitExceededError';
  readonly limit: string;
  constructor({
    limit,
    message,
    taskPath,
  }: { limit: string; message: string; taskPath?: readonly string[] }) {
    super('LIMIT_EXCEEDED', message, taskPath ? { taskPath } : {});
    this.limit = limit;
  }
}

/**
 * The `code` of an error: of a TaskGraphError, or of an error that crossed a process as data. Failure
 * policy branches on it, never on classes (an error from a worker is not an instance of anything).
 */
export function errorCode(error: unknown): string | undefined {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The run has done everything it can and waits for people to answer the questions in `waiting`: not a
 * failure. Answer them (`answerTask`, `taskgraph answer`, the viewer) and run again: everything done is
 * reused. `trace` holds the questions.
 */
export class AwaitingAnswersError extends TaskGraphError {
  override readonly name = 'AwaitingAnswersError';
  readonly waiting: readonly HumanQuestion[];
  constructor(waiting: readonly HumanQuestion[]) {
    const ids = waiting.map((q) => `"${q.taskPath.join(' > ')}"`).join(', ');
    super(
      'AWAITING_ANSWERS',
      `TaskGraph.run: the run waits for ${waiting.length === 1 ? 'an answer' : `${waiting.length} answers`} (${ids}). Answer with answerTask (or \`taskgraph answer\`) and run again.`,
      waiting[0] ? { taskPath: waiting[0].taskPath } : {},
    );
    this.waiting = waiting;
  }
}
