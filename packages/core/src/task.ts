import type { ZodType } from 'zod';
import type { ErrorData } from './error-data.js';
import type { AssistantMessage, LLMParams, LLMUsage } from './llm-handler.js';
import type { TaskGraph } from './task-graph.js';
import type { TaskRef } from './task-spec.js';
import type { JsonValue } from './value-codec.js';
import type { ValueSlot } from './value-slot.js';

export type TaskKind = 'function' | 'llm' | 'graph';

/**
 * pending: not run (or its result is not valid any more); running; done; failed: it threw, its error is
 * stored; skipped: a dependency failed (continueOnError); cancelled: the run stopped while it was running.
 */
export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** The memoized stages: a function's or a parser's output, an LLM prompt and response, a GraphTask's input. */
export type Stage = 'output' | 'prompt' | 'response' | 'input';

export interface TaskDefinition {
  id: string;
  deps: readonly string[];
  namedDeps: Readonly<Record<string, string>>;
  createdBy: string | undefined;
  /** Constant JSON arguments of the task, read by its functions as `ctx.args`. */
  args: JsonValue | undefined;
  schema: ZodType | undefined;
  /** The output schema as JSON Schema, the form a trace stores. */
  schemaJson: JsonValue | undefined;
}

/** State and definition shared by every task kind. */
export abstract class Task<O = unknown> implements TaskRef<O> {
  declare readonly __output?: O;
  abstract readonly kind: TaskKind;
  readonly id: string;
  readonly deps: readonly string[];
  readonly namedDeps: Readonly<Record<string, string>>;
  /** Id of the task that added this one while running. */
  readonly createdBy: string | undefined;
  readonly args: JsonValue | undefined;
  readonly schema: ZodType | undefined;
  readonly schemaJson: JsonValue | undefined;
  /** Distinct ids of all dependencies, positional and named. */
  readonly dependencyIds: readonly string[];
  readonly hasNamedDeps: boolean;

  status: TaskStatus = 'pending';
  output: ValueSlot | undefined;
  error: ErrorData | undefined;
  /** Epoch milliseconds when the task last ran. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  /** How many times the task has been run (retries included); 0 when never run. */
  attempts = 0;
  /** Whether a stage of the task read the graph input (then the input is part of its fingerprints). */
  readsInput = false;
  /** Fingerprints of the stored stages. A stage that has a value and no fingerprint was computed in this process. */
  fingerprints: Partial<Record<Stage, string>> = {};
  /** Versions of the registered functions the stages used. */
  versions: Partial<Record<Stage, string>> = {};

  /** @internal the longest path ahead of the task, for queues of limited concurrency (see priorities.ts). */
  priority = 0;
  /** @internal where the task is in the current run (see graph-run.ts). */
  phase = 0;
  /** @internal dependencies (and creator) not settled yet in the current run. */
  waiting = 0;
  /** @internal tasks waiting on this one in the current run. */
  dependents: AnyTask[] = [];
  /** @internal the positional dependencies, resolved when the run starts (or the task is added to it). */
  depTasks: AnyTask[] = [];

  constructor(def: TaskDefinition) {
    this.id = def.id;
    this.deps = def.deps;
    this.namedDeps = def.namedDeps;
    this.createdBy = def.createdBy;
    this.args = def.args;
    this.schema = def.schema;
    this.schemaJson = def.schemaJson;
    const named = Object.values(def.namedDeps);
    this.hasNamedDeps = named.length > 0;
    this.dependencyIds =
      named.length === 0 && new Set(def.deps).size === def.deps.length
        ? def.deps
        : [...new Set([...def.deps, ...named])];
  }

  /** The task's definition without its state. */
  definition(): TaskDefinition {
    return {
      id: this.id,
      deps: this.deps,
      namedDeps: this.namedDeps,
      createdBy: this.createdBy,
      args: this.args,
      schema: this.schema,
      schemaJson: this.schemaJson,
    };
  }

  /** A task of the same definition and no state. */
  abstract cloneDefinition(): Task<O>;

  /** Stored stage values, for the codec and the memo. */
  abstract stages(): Partial<Record<Stage, ValueSlot>>;

  /** The stored value of one stage, if any. */
  slot(stage: Stage): ValueSlot | undefined {
    return this.stages()[stage];
  }

  /** Takes the stored state of a task of the same definition, when this one has no result yet. */
  adoptState(other: AnyTask): void {
    if (Object.keys(this.stages()).length > 0 || this.status !== 'pending' || other.kind !== this.kind)
      return;
    this.status = other.status;
    this.output = other.output;
    this.error = other.error;
    this.startedAt = other.startedAt;
    this.durationMs = other.durationMs;
    this.attempts = other.attempts;
    this.readsInput = other.readsInput;
    this.fingerprints = { ...other.fingerprints };
    this.versions = { ...other.versions };
    this.adoptStages(other);
  }

  /** Kind-specific stages and fields of adoptState. */
  protected adoptStages(_other: AnyTask): void {}

  /** Forgets results and fingerprints, keeping the definition. */
  reset(): void {
    this.status = 'pending';
    this.output = undefined;
    this.error = undefined;
    this.fingerprints = {};
    this.versions = {};
    this.readsInput = false;
  }
}

/** Retries and timeout of a function task, as its spec gives them (the run's options fill the rest). */
export interface FunctionAttempts {
  retries?: number;
  timeoutMs?: number;
}

export class FunctionTask<O = unknown> extends Task<O> {
  readonly kind = 'function';
  readonly fn: string;
  readonly attemptsPolicy: FunctionAttempts;

  constructor(def: TaskDefinition, fn: string, attemptsPolicy: FunctionAttempts = {}) {
    super(def);
    this.fn = fn;
    this.attemptsPolicy = attemptsPolicy;
  }

  cloneDefinition(): FunctionTask<O> {
    return new FunctionTask<O>(this.definition(), this.fn, this.attemptsPolicy);
  }

  stages(): Partial<Record<Stage, ValueSlot>> {
    return this.output ? { output: this.output } : {};
  }

  override slot(stage: Stage): ValueSlot | undefined {
    return stage === 'output' ? this.output : undefined;
  }
}

/** Parser of an LLM task: a registered function's id, or a zod schema applied to the reply parsed as JSON. */
export type LLMParser = { fn: string } | { schema: ZodType; schemaJson: JsonValue };

export class LLMTask<O = unknown> extends Task<O> {
  readonly kind = 'llm';
  readonly promptFn: string;
  readonly parser: LLMParser;
  readonly handler: string;
  readonly params: LLMParams;
  /** How many times a reply that fails its parser is sent back to the model with the error. */
  readonly maxRepairs: number;

  prompt: ValueSlot | undefined;
  response: ValueSlot | undefined;
  usage: LLMUsage | undefined;
  model: string | undefined;
  /** USD; null when the handler knew no price for the model. */
  costUsd: number | null | undefined;
  /** Replies that failed the parser and were sent back for repair, in order, with the error each gave. */
  repairs: RepairAttempt[] = [];
  /** Where the stored response came from when it was not a call (a response cache). */
  responseSource: 'cache' | undefined;

  constructor(
    def: TaskDefinition,
    promptFn: string,
    parser: LLMParser,
    handler: string,
    params: LLMParams,
    maxRepairs: number,
  ) {
    super(def);
    this.promptFn = promptFn;
    this.parser = parser;
    this.handler = handler;
    this.params = params;
    this.maxRepairs = maxRepairs;
  }

  protected override adoptStages(other: AnyTask): void {
    if (other.kind !== 'llm') return;
    this.prompt = other.prompt;
    this.response = other.response;
    this.usage = other.usage;
    this.model = other.model;
    this.costUsd = other.costUsd;
    this.repairs = other.repairs;
    this.responseSource = other.responseSource;
  }

  cloneDefinition(): LLMTask<O> {
    return new LLMTask<O>(
      this.definition(),
      this.promptFn,
      this.parser,
      this.handler,
      this.params,
      this.maxRepairs,
    );
  }

  stages(): Partial<Record<Stage, ValueSlot>> {
    const stages: Partial<Record<Stage, ValueSlot>> = {};
    if (this.prompt) stages.prompt = this.prompt;
    if (this.response) stages.response = this.response;
    if (this.output) stages.output = this.output;
    return stages;
  }

  override reset(): void {
    super.reset();
    this.prompt = undefined;
    this.response = undefined;
    this.usage = undefined;
    this.model = undefined;
    this.costUsd = undefined;
    this.repairs = [];
    this.responseSource = undefined;
  }
}

export class GraphTask<O = unknown> extends Task<O> {
  readonly kind = 'graph';
  readonly inputFn: string;
  /** The nested graph, with its own execution state; its input is this task's `input` stage. */
  readonly graph: TaskGraph<unknown, O>;

  constructor(def: TaskDefinition, inputFn: string, graph: TaskGraph<unknown, O>) {
    super(def);
    this.inputFn = inputFn;
    this.graph = graph;
  }

  cloneDefinition(): GraphTask<O> {
    return new GraphTask<O>(this.definition(), this.inputFn, this.graph.cloneDefinition(false));
  }

  stages(): Partial<Record<Stage, ValueSlot>> {
    const input = this.graph.inputSlot;
    return input ? { input } : {};
  }

  override reset(): void {
    super.reset();
    this.graph.reset();
  }
}

export type AnyTask = FunctionTask | LLMTask | GraphTask;

/** A reply that failed the parser, kept in the trace as part of its task. */
export interface RepairAttempt {
  response: AssistantMessage;
  error: ErrorData;
  usage?: LLMUsage;
}
