import type { ZodType } from 'zod';
import type { JsonValue } from './json-value.js';
import type { AssistantMessage, LLMParams, Prompt } from './llm-handler.js';
import type { FunctionDef } from './registry.js';
import type { TaskGraphBase } from './task-graph-base.js';

/** A handle to a task in a graph; its type parameter is the task's output type. */
export interface TaskRef<O = unknown> {
  readonly id: string;
  /** Type-level only: the output type. Never set at run time. */
  readonly __output?: O;
}

type Ref<T> = TaskRef<T> | string;
type DropLast<A extends unknown[]> = A extends [...infer Init, unknown] ? Init : never;
type DepRefs<A extends unknown[]> = { [K in keyof A]: Ref<A[K]> };

/**
 * Positional dependencies: one per parameter of the function after the context. When the task also has
 * named dependencies, their object is the function's last parameter and `deps` covers the ones before it.
 */
export type Deps<A extends unknown[]> = DepRefs<A> | DepRefs<DropLast<A>>;
export type NamedDeps = Readonly<Record<string, Ref<unknown>>>;

interface CommonSpec<O> {
  /** Unique within the graph; for tasks added while running, unique among the creator's children. */
  id: string;
  namedDeps?: NamedDeps;
  /**
   * Constant JSON arguments, read by the task's functions as `ctx.args` (which item of the input to use,
   * a label…). Part of the task's definition and of its fingerprints.
   */
  args?: JsonValue;
  /** Checked whenever the task produces an output and when a trace holding its output is loaded. */
  schema?: ZodType<O>;
}

export interface FunctionTaskSpec<A extends unknown[] = unknown[], O = unknown> extends CommonSpec<O> {
  kind?: 'function';
  /** Further attempts after the function throws or times out (default: the run's `retries`, else 0). */
  retries?: number;
  /** Longest one attempt may take, in ms; `ctx.signal` fires then (default: the run's `timeoutMs`). */
  timeoutMs?: number;
  /** A registered function's handle (typed) or its id. */
  fn: FunctionDef<A, O> | string;
  deps?: Deps<A>;
}

/** An output parser gets the response text and the whole assistant message. */
export type ParserDef<O> = FunctionDef<[text: string, message: AssistantMessage], O>;

export interface LLMTaskSpec<A extends unknown[] = unknown[], O = unknown> extends CommonSpec<O> {
  kind?: 'llm';
  /** The prompt formatter: dependency outputs in, a prompt string or message list out. */
  prompt: FunctionDef<A, Prompt> | string;
  /** A parser function, its id, or a zod schema (the reply is parsed as JSON and validated). Default: the text. */
  parser?: ParserDef<O> | FunctionDef<[text: string], O> | string | ZodType<O>;
  /** Id of the LLM handler in the registry. Default "openai". */
  handler?: string;
  /** Passed to the handler as they are (model, temperature…); must be JSON. */
  params?: LLMParams;
  /**
   * How many times a reply the parser rejects (bad JSON, a schema failure, a parser error) is sent back
   * to the model with the error and the bad text. Default 1 with a zod schema parser, else 0.
   */
  maxRepairs?: number;
  deps?: Deps<A>;
}

export interface GraphTaskSpec<A extends unknown[] = unknown[], O = unknown> extends CommonSpec<O> {
  kind?: 'graph';
  /** The nested graph; the task takes a copy of its definition. Its output is this task's output. */
  graph: TaskGraphBase<never, O> | TaskGraphBase<unknown, O>;
  /** Formats the nested graph's input from the dependency outputs. Default: this graph's input. */
  input?: FunctionDef<A, unknown> | string;
  deps?: Deps<A>;
}

/** How a human task's answer becomes its output: the answer as it is, a parser, or a zod schema. */
export type AnswerParserDef<O> = FunctionDef<[answer: unknown], O> | string | ZodType<O>;

export interface HumanTaskSpec<A extends unknown[] = unknown[], O = unknown> extends CommonSpec<O> {
  kind?: 'human';
  /** Formats the question from the dependency outputs (text, or any JSON a form can show). */
  question: FunctionDef<A, unknown> | string;
  /** How the answer becomes the output: a parser, or a zod schema the answer must satisfy. Default: as it is. */
  parser?: AnswerParserDef<O>;
  /** The answer taken once the deadline has passed, or at once in an unattended run. Must be JSON. */
  default?: JsonValue;
  /** How long the question may wait, in ms from when it was first asked: then the default, or ANSWER_DEADLINE. */
  deadlineMs?: number;
  deps?: Deps<A>;
}

export type TaskSpec<O = unknown> =
  | (FunctionTaskSpec<unknown[], O> & { kind: 'function' })
  | (LLMTaskSpec<unknown[], O> & { kind: 'llm' })
  | (GraphTaskSpec<unknown[], O> & { kind: 'graph' })
  | (HumanTaskSpec<unknown[], O> & { kind: 'human' });
