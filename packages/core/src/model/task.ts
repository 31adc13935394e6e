import type { ZodType } from 'zod';
import type { ErrorData } from './error-data.js';
import type { JsonValue, StoredValue } from './json-value.js';
import type { TaskKindDescriptor } from './task-kind.js';
import type { TaskRef } from './task-spec.js';

/** A task kind's name: "function", "llm", "graph". */
export type TaskKind = 'function' | 'llm' | 'graph' | 'human';

/**
 * pending: not run (or its result is not valid any more); running; done; failed: it threw, its error is
 * stored; skipped: a dependency failed (continueOnError); cancelled: the run stopped while it was running;
 * waiting: it asked a person and has no answer yet (a human task, or a graph task holding one).
 */
export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled' | 'waiting';

/**
 * The memoized stages: a function's or a parser's output, an LLM prompt and response, a GraphTask's input,
 * a human task's question and answer.
 */
export type Stage = 'output' | 'prompt' | 'response' | 'input' | 'question' | 'answer';

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

/** Whether the ids are all different (without a Set for the few dependencies most tasks have). */
function distinct(ids: readonly string[]): boolean {
  if (ids.length > 16) return new Set(ids).size === ids.length;
  for (let i = 1; i < ids.length; i++) for (let j = 0; j < i; j++) if (ids[i] === ids[j]) return false;
  return true;
}

/** Strings by stage (fingerprints, versions). */
export type StageStrings = Readonly<Partial<Record<Stage, string>>>;

const NO_STAGE_STRINGS: StageStrings = Object.freeze({});

/** `strings` with `stage` set to `value` (removed when undefined): the shared empty record is never written. */
function withStage(strings: StageStrings, stage: Stage, value: string | undefined): StageStrings {
  if (value === undefined) {
    if (strings[stage] === undefined) return strings;
    const { [stage]: _removed, ...rest } = strings;
    return Object.keys(rest).length === 0 ? NO_STAGE_STRINGS : rest;
  }
  if (strings[stage] === value) return strings;
  if (strings === NO_STAGE_STRINGS) return { [stage]: value };
  (strings as Partial<Record<Stage, string>>)[stage] = value;
  return strings;
}

/** A task's own copy of another's strings by stage. */
function ownCopy(strings: StageStrings): StageStrings {
  return strings === NO_STAGE_STRINGS ? NO_STAGE_STRINGS : { ...strings };
}

const NO_TASKS: readonly Task[] = Object.freeze([]);

/**
 * A task of a graph: its definition and its stored state (stage values, fingerprints, status, timings).
 * Where a task is in a run (waiting, running, its dependents) is the run's business and lives there.
 */
export abstract class Task<O = unknown> implements TaskRef<O> {
  declare readonly __output?: O;
  abstract readonly kind: TaskKind;
  /** The descriptor of the task's kind: its stages, record fields and checks. */
  abstract readonly descriptor: TaskKindDescriptor;
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
  output: StoredValue | undefined;
  error: ErrorData | undefined;
  /** Epoch milliseconds when the task last ran. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  /** How many times the task has been run (retries included); 0 when never run. */
  attempts = 0;
  /** Whether a stage of the task read the graph input (then the input is part of its fingerprints). */
  readsInput = false;
  /**
   * Fingerprints of the stored stages. A stage that has a value and no fingerprint was computed in this
   * process. Shared and empty until the first one is set (`setFingerprint`): most tasks of a fresh graph
   * have none.
   */
  fingerprints: StageStrings = NO_STAGE_STRINGS;
  /** Versions of the registered functions the stages used (set through `setVersion`). */
  versions: StageStrings = NO_STAGE_STRINGS;
  /** @internal the task's place in its graph's insertion order (which is topological), given by the graph. */
  position = -1;
  /** @internal the tasks of `dependencyIds`, in that order, given by the graph the task is added to. */
  dependencyTasks: readonly Task[] = NO_TASKS;

  constructor(def: TaskDefinition) {
    this.id = def.id;
    this.deps = def.deps;
    this.namedDeps = def.namedDeps;
    this.createdBy = def.createdBy;
    this.args = def.args;
    this.schema = def.schema;
    this.schemaJson = def.schemaJson;
    let hasNamedDeps = false;
    for (const _name in def.namedDeps) {
      hasNamedDeps = true;
      break;
    }
    this.hasNamedDeps = hasNamedDeps;
    this.dependencyIds =
      !hasNamedDeps && distinct(def.deps)
        ? def.deps
        : [...new Set([...def.deps, ...Object.values(def.namedDeps)])];
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

  /** Stored stage values, keyed by stage. */
  stages(): Partial<Record<Stage, StoredValue>> {
    const stages: Partial<Record<Stage, StoredValue>> = {};
    for (const stage of this.descriptor.stages) {
      const value = stage.get(this);
      if (value) stages[stage.stage] = value;
    }
    return stages;
  }

  /** The stored value of one stage, if any. */
  slot(stage: Stage): StoredValue | undefined {
    for (const def of this.descriptor.stages) if (def.stage === stage) return def.get(this);
    return undefined;
  }

  /** Takes the stored state of a task of the same definition, when this one has no result yet. */
  adoptState(other: Task): void {
    if (Object.keys(this.stages()).length > 0 || this.status !== 'pending' || other.kind !== this.kind)
      return;
    this.status = other.status;
    this.output = other.output;
    this.error = other.error;
    this.startedAt = other.startedAt;
    this.durationMs = other.durationMs;
    this.attempts = other.attempts;
    this.readsInput = other.readsInput;
    this.fingerprints = ownCopy(other.fingerprints);
    this.versions = ownCopy(other.versions);
    this.adoptStages(other);
  }

  /** Kind-specific stages and fields of adoptState. */
  protected adoptStages(_other: Task): void {}

  /** Forgets results and fingerprints, keeping the definition. */
  reset(): void {
    this.status = 'pending';
    this.output = undefined;
    this.error = undefined;
    this.fingerprints = NO_STAGE_STRINGS;
    this.versions = NO_STAGE_STRINGS;
    this.readsInput = false;
  }

  /** Sets (or, with undefined, removes) the fingerprint of a stage. */
  setFingerprint(stage: Stage, fingerprint: string | undefined): void {
    this.fingerprints = withStage(this.fingerprints, stage, fingerprint);
  }

  /** Sets (or, with undefined, removes) the version of the function a stage used. */
  setVersion(stage: Stage, version: string | undefined): void {
    this.versions = withStage(this.versions, stage, version);
  }
}
