import type { ZodType } from 'zod';
import type { EncodedValue, JsonValue, StoredValue } from './json-value.js';
import type { LLMRequest, LLMResult } from './llm-handler.js';
import type { Stage, Task, TaskDefinition } from './task.js';
import type { TaskGraphBase } from './task-graph-base.js';

/**
 * One task kind (function, llm, graph…) in one place: its stages in order, what each stage's fingerprint
 * covers, how each stage is computed, its record fields and its spec checks. The scheduler, the replay
 * plan, trace read and write, edits and the function checks read descriptors; nothing else in core
 * branches on a task's kind. A kind's file holds its Task class and its descriptor.
 */
export interface TaskKindDescriptor<T extends Task = Task> {
  readonly kind: string;
  /** The memoized stages, in the order they are computed. */
  readonly stages: readonly StageDescriptor<T>[];
  /** Spec checks: builds the task from what a user wrote (`graph.addX`, `ctx.addX`). */
  fromSpec(spec: Readonly<Record<string, unknown>>, def: TaskDefinition, where: string): T;
  /** Builds the task from its trace record (validated by the trace schema). */
  fromRecord(record: Readonly<Record<string, unknown>>, def: TaskDefinition, reader: RecordReader): T;
  /** The kind's definition fields of its trace record, in the order a trace shows them. */
  writeDefinition(task: T, record: Record<string, unknown>): void;
  /** The kind's state fields of its trace record (beyond the stage values, which are written generically). */
  writeState(task: T, record: Record<string, unknown>): void;
  /** Every registered function id the task uses, for the checks before a run. */
  functionIds(task: T): string[];
  /** For kinds that hold a nested graph: the graph, run after the stages; its output is the task's. */
  readonly nested?: NestedGraphDescriptor<T>;
  /** Whether a task of this kind calls an LLM itself (a replay plan counts the calls it may make). */
  readonly callsLLM: boolean;
}

export interface NestedGraphDescriptor<T extends Task> {
  graph(task: T): TaskGraphBase;
}

export interface StageDescriptor<T extends Task = Task> {
  readonly stage: Stage;
  /** What an edit that changes the stage's fingerprint must have touched, for replay plans ("its response was edited"). */
  readonly changed: string;
  /** false when the value lives elsewhere than the task's record (a GraphTask's input: in its nested graph). */
  readonly inRecord: boolean;
  /** The registered function the stage runs, whose id and version its fingerprint covers. */
  fnId(task: T): string | undefined;
  /** What the stage's fingerprint covers, as parts (the memo layer hashes them). */
  fingerprint(task: T, parts: FingerprintParts, version: string): string[];
  get(task: T): StoredValue | undefined;
  put(task: T, value: StoredValue | undefined): void;
  /** What to run to compute the stage from the values the graph holds now. */
  work(task: T, env: StageWorkEnv): StageWork;
  /** The value to store from what the work gave (a schema check, usage bookkeeping…). Default: as it is. */
  accept?(task: T, value: unknown, env: StageAcceptEnv): unknown;
  /** After this stage failed: a call that may fix it (an LLM repair), stored into `stage`, then this one re-runs. */
  repair?(task: T, error: unknown, env: StageWorkEnv): StageRepair<T> | undefined;
  /** Checks a value written by hand (editTrace) and returns the value to store; absent: not editable. */
  edit?(task: T, value: unknown, taskPath: readonly string[]): unknown;
}

export interface StageRepair<T extends Task> {
  stage: Stage;
  work: StageWork;
  accept(task: T, value: unknown, env: StageAcceptEnv): unknown;
}

/**
 * Work a stage hands over. `function` and `llm` go to the run's TaskExecutor (an LLM call passes the run's
 * cache, replay-only switch, budget and limits first); `local` is the kind's own pure work (a schema check).
 */
export type StageWork =
  | { type: 'function'; fn: string; args: unknown[]; attempts?: { retries?: number; timeoutMs?: number } }
  | { type: 'llm'; handler: string; request: LLMRequest; cacheKey: string }
  | { type: 'human'; question: HumanQuestion; defaultAnswer?: unknown; deadline?: number }
  | { type: 'local'; run(): unknown };

export interface StageWorkEnv {
  readonly taskPath: readonly string[];
  /** The dependency outputs: positional, then the named ones as one object when the task has any. */
  dependencyValues(): unknown[];
  /** The fingerprint of a stage from the values the graph holds now. */
  fingerprint(stage: Stage): string;
}

export interface StageAcceptEnv {
  readonly taskPath: readonly string[];
  /** For LLM work: the handler's result and where it came from. */
  readonly llm?: { result: LLMResult; source: 'handler' | 'cache' } | undefined;
}

/** What a run hands to whoever answers a human task: the question and, for a schema parser, its JSON Schema. */
export interface HumanQuestion {
  taskPath: readonly string[];
  question: unknown;
  schema?: JsonValue;
}

/** What the memo layer gives a stage to build its fingerprint from. */
export interface FingerprintParts {
  /**
   * The hashes of the dependency outputs (positional, then named sorted by name), then the graph input's
   * hash when the task read it and the task's args: one part, the same text as listing them one by one.
   */
  upstream(): string;
  /** The graph input's hash when the task read it, and the task's args. */
  input(): string;
  /** The hash of a stored value, "-" when there is none. */
  value(value: StoredValue | undefined): string;
  /** The hash of a value's canonical JSON. */
  json(value: unknown): string;
  /** Canonical JSON text (keys sorted). */
  canonical(value: unknown): string;
}

/** What trace reading gives a kind to rebuild its state and nested parts. */
export interface RecordReader {
  /** JSON path of the record, for errors. */
  readonly at: string;
  value(json: unknown, meta: unknown): StoredValue;
  zod(schema: unknown, at: string): ZodType;
  graph(document: unknown, at: string): TaskGraphBase;
}

export type { EncodedValue, JsonValue };
