import type { JsonValue } from '../model/json-value.js';
import type { Stage } from '../model/task.js';
import type { RunNode } from './run-node.js';
import type { AttemptPolicy, FunctionCall } from './task-executor.js';

/**
 * A FunctionCall as the scheduler makes it: plain fields, with the task path built only when an
 * executor reads it (most in-process calls never do). `toJSON` gives the call as plain data, for an
 * executor that sends it elsewhere.
 */
/** The fields of a call the scheduler fills in. */
export type CallFields = Pick<FunctionCall, 'stage' | 'fn' | 'version' | 'args' | 'input' | 'attempts'>;

export class FunctionCallData implements FunctionCall {
  readonly type = 'function';
  readonly #node: RunNode;
  readonly #fields: CallFields;
  #taskPath: readonly string[] | undefined;

  constructor(node: RunNode, fields: CallFields) {
    this.#node = node;
    this.#fields = fields;
  }

  get stage(): Stage {
    return this.#fields.stage;
  }

  get fn(): string {
    return this.#fields.fn;
  }

  get version(): string | undefined {
    return this.#fields.version;
  }

  get args(): readonly unknown[] {
    return this.#fields.args;
  }

  get input(): unknown {
    return this.#fields.input;
  }

  get attempts(): AttemptPolicy {
    return this.#fields.attempts;
  }

  get kind(): string {
    return this.#node.task.kind;
  }

  get taskArgs(): JsonValue | undefined {
    return this.#node.task.args;
  }

  get taskPath(): readonly string[] {
    this.#taskPath ??= this.#node.taskPath;
    return this.#taskPath;
  }

  toJSON(): FunctionCall {
    const { type, taskPath, kind, stage, fn, version, args, taskArgs, input, attempts } = this;
    return { type, taskPath, kind, stage, fn, version, args, taskArgs, input, attempts };
  }
}
