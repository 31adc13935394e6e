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

/** The attempts a spec or a record gives: the shared default when it sets neither field. */
function attemptsOf(retries: number | undefined, timeoutMs: number | undefined): FunctionAttempts {
  if (retries === undefined && timeoutMs === undefined) return DEFAULT_ATTEMPTS;
  return {
    ...(retries === undefined ? {} : { retries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** A task that runs a registered function on its dependencies' outputs: one stage, its output. */
export class FunctionTask<O = unknown> extends Task<O> {
  readonly kind = 'function';
  readonly fn: string;
  readonly attemptsPolicy: FunctionAttempts;

  constructor(
    def: TaskDefinition,
    { fn, attempts = DEFAULT_ATTEMPTS }: { fn: string; attempts?: FunctionAttempts },
  ) {
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
  fingerprint: (task, parts, version) => ['function', task.fn, version, parts.upstream()],
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
    return new FunctionTask(def, {
      fn: functionId(spec.fn, where, '`fn`'),
      attempts: attemptsOf(
        spec.retries === undefined ? undefined : count(spec.retries, `${where}: \`retries\``),
        spec.timeoutMs === undefined ? undefined : count(spec.timeoutMs, `${where}: \`timeoutMs\``, 1),
      ),
    });
  },
  fromRecord(record, def) {
    return new FunctionTask(def, {
      fn: record.fn as string,
      attempts: attemptsOf(record.retries as number | undefined, record.timeoutMs as number | undefined),
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
