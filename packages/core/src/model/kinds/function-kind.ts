import { keepShape, SHAPE_DEFINITION } from '../keep-shape.js';
import { checkOutputValue } from '../output-check.js';
import { count, functionId } from '../spec-checks.js';
import { Task, type TaskDefinition } from '../task.js';
import type { StageDescriptor, TaskKindDescriptor } from '../task-kind.js';

/** Retries and timeout of a function task, as its spec gives them (the run's options fill the rest). */
export interface FunctionAttempts {
  retries?: number;
  timeoutMs?: number;
}

/** The attempts of the many function tasks that set neither: one shared, frozen object. */
const DEFAULT_ATTEMPTS: FunctionAttempts = Object.freeze({});

/** A task that runs a registered function on its dependencies' outputs: one stage, its output. */
export class FunctionTask<O = unknown> extends Task<O> {
  readonly kind = 'function';
  readonly fn: string;
  readonly attemptsPolicy: FunctionAttempts;

  constructor(def: TaskDefinition, { fn, attempts = {} }: { fn: string; attempts?: FunctionAttempts }) {
    super(def);
    this.fn = fn;
    this.attemptsPolicy = attempts;
  }

  get descriptor(): TaskKindDescriptor {
    return functionKind as unknown as TaskKindDescriptor;
  }

  cloneDefinition(): FunctionTask<O> {
    return new FunctionTask<O>(this.definition(), { fn: this.fn, attempts: this.attemptsPolicy });
  }

  override stages() {
    return this.output ? { output: this.output } : {};
  }

  override slot(stage: string) {
    return stage === 'output' ? this.output : undefined;
  }
}

const output: StageDescriptor<FunctionTask> = {
  stage: 'output',
  changed: 'a dependency output, the graph input or its args were edited',
  inRecord: true,
  fnId: (task) => task.fn,
  fingerprint: (task, parts, version) => [
    'function',
    task.fn,
    version,
    ...parts.dependencies(),
    parts.input(),
  ],
  get: (task) => task.output,
  put: (task, value) => {
    task.output = value;
  },
  work: (task, env) => ({
    type: 'function',
    fn: task.fn,
    args: env.dependencyValues(),
    attempts: task.attemptsPolicy,
  }),
  accept: (task, value, env) => (task.schema ? checkOutputValue(task, env.taskPath, value) : value),
  edit: (task, value, taskPath) => checkOutputValue(task, taskPath, value),
};

export const functionKind: TaskKindDescriptor<FunctionTask> = {
  kind: 'function',
  stages: [output],
  callsLLM: false,
  fromSpec(spec, def, where) {
    const fn = functionId(spec.fn, where, '`fn`');
    if (spec.retries === undefined && spec.timeoutMs === undefined) {
      return new FunctionTask(def, { fn, attempts: DEFAULT_ATTEMPTS });
    }
    return new FunctionTask(def, {
      fn,
      attempts: {
        ...(spec.retries === undefined ? {} : { retries: count(spec.retries, `${where}: \`retries\``) }),
        ...(spec.timeoutMs === undefined
          ? {}
          : { timeoutMs: count(spec.timeoutMs, `${where}: \`timeoutMs\``, 1) }),
      },
    });
  },
  fromRecord(record, def) {
    return new FunctionTask(def, {
      fn: record.fn as string,
      attempts: {
        ...(record.retries === undefined ? {} : { retries: record.retries as number }),
        ...(record.timeoutMs === undefined ? {} : { timeoutMs: record.timeoutMs as number }),
      },
    });
  },
  writeDefinition(task, record) {
    record.fn = task.fn;
    if (task.attemptsPolicy.retries !== undefined) record.retries = task.attemptsPolicy.retries;
    if (task.attemptsPolicy.timeoutMs !== undefined) record.timeoutMs = task.attemptsPolicy.timeoutMs;
  },
  writeState() {},
  functionIds: (task) => [task.fn],
};

keepShape(new FunctionTask(SHAPE_DEFINITION, { fn: '' }));
