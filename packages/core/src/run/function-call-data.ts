import type { Lineage } from '../model/created-task-id.js';
import type { JsonValue } from '../model/json-value.js';
import { keepShape, SHAPE_PLACEHOLDER } from '../model/keep-shape.js';
import type { Stage } from '../model/task.js';
import type { RunNode } from './run-node.js';
import type { AttemptPolicy, FunctionCall } from './task-executor.js';

/**
 * A FunctionCall as the scheduler makes it: plain fields, with the task path and lineage read from the
 * run only when an executor asks (most in-process calls never do). `toJSON` gives the call as plain data,
 * for an executor that sends it elsewhere. Fields are assigned in the constructor (no field initializers):
 * one of these is made per function call.
 */
export class FunctionCallData implements FunctionCall {
  declare readonly type: 'function';
  declare readonly stage: Stage;
  declare readonly fn: string;
  declare readonly version: string | undefined;
  declare readonly args: readonly unknown[];
  declare readonly input: unknown;
  declare readonly attempts: AttemptPolicy;
  declare readonly node: RunNode;

  constructor(
    node: RunNode,
    stage: Stage,
    work: { readonly fn: string; readonly args: readonly unknown[] },
    version: string | undefined,
    input: unknown,
    attempts: AttemptPolicy,
  ) {
    this.node = node;
    this.stage = stage;
    this.fn = work.fn;
    this.args = work.args;
    this.version = version;
    this.input = input;
    this.attempts = attempts;
  }

  get kind(): string {
    return this.node.task.kind;
  }

  get taskArgs(): JsonValue | undefined {
    return this.node.task.args;
  }

  get taskPath(): readonly string[] {
    return this.node.taskPath;
  }

  /** Where the task sits in its creation chain (the ids of the tasks it creates are made of it). */
  get lineage(): Lineage {
    const { root, generation } = this.node.run.lineage(this.node);
    return { root, generation };
  }

  toJSON(): FunctionCall {
    const { type, taskPath, kind, stage, fn, version, args, taskArgs, input, attempts, lineage } = this;
    return { type, taskPath, kind, stage, fn, version, args, taskArgs, input, attempts, lineage };
  }
}

// The call's kind, on the prototype: not a field of every call.
Object.defineProperty(FunctionCallData.prototype, 'type', { value: 'function', enumerable: true });

keepShape(
  new FunctionCallData(
    SHAPE_PLACEHOLDER as RunNode,
    'output',
    { fn: '', args: [] },
    undefined,
    undefined,
    SHAPE_PLACEHOLDER as AttemptPolicy,
  ),
);
