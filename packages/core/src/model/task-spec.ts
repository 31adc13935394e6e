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
/** Named dependencies that fill the object parameter `N`: a task of the right output type per key. */
export type NamedDepRefs<N> = { readonly [K in keyof N]-?: Ref<N[K]> };

/**
 * `deps` and `namedDeps` as the function's parameters after the context ask for them, so that tsc
 * catches a missing or extra dependency and one of the wrong type: `deps` may be left out only when the
 * function takes none (or only optional ones); with `namedDeps`, the last parameter is their object and
 * `deps` covers the ones before it. A function given by id, or with a rest parameter, is not checked.
 */
export type DepsOf<A extends unknown[]> = number extends A['length']
  ? UncheckedDeps<A>
  :
      | ([] extends A ? { deps?: DepRefs<A>; namedDeps?: never } : { deps: DepRefs<A>; namedDeps?: never })
      | (A extends [...infer P, infer N] ? NamedDepsOf<P, N> : never);

/** Dependencies of a function given by its id: tsc cannot see its parameters. */
type UncheckedDeps<A extends unknown[]> = { deps?: Deps<A>; namedDeps?: NamedDeps };

type NamedDepsOf<P extends unknown[], N> = { namedDeps: NamedDepRefs<N> } & ([] extends P
  ? { deps?: DepRefs<P> }
  : { deps: DepRefs<P> });

interface CommonSpec<O> {
  /** Unique within the graph; for tasks added while running, unique among the creator's children. */
  id: string;
  /**
   * Constant JSON arguments, read by the task's functions as `ctx.args` (which item of the input to use,
   * a label…). Part of the task's definition and of its fingerprints.
   */
  args?: JsonValue;
  /** Checked whenever the task produces an output and when a trace holding its output is loaded. */
  schema?: ZodType<O>;
}

/** A task running a registered function; `I` is the input type of the graph it is added to. */
export type FunctionTaskSpec<A extends unknown[] = unknown[], O = unknown, I = unknown> = CommonSpec<O> & {
  kind?: 'function';
  /** Further attempts after the function throws or times out (default: the run's `retries`, else 0). */
  retries?: number;
  /** Longest one attempt may take, in ms; `ctx.signal` fires then (default: the run's `timeoutMs`). */
  timeoutMs?: number;
} & (
    | ({
        /** A registered function's handle (typed) or its id. */
        fn: FunctionDef<A, O, I>;
      } & DepsOf<A>)
    | ({ fn: string } & UncheckedDeps<A>)
  );

/** An output parser gets the response text and the whole assistant message. */
export type ParserDef<O, I = unknown> = FunctionDef<[text: string, message: AssistantMessage], O, I>;

/** An LLM task; `I` is the input type of the graph it is added to. */
export type LLMTaskSpec<A extends unknown[] = unknown[], O = unknown, I = unknown> = CommonSpec<O> & {
  kind?: 'llm';
  /** A parser function, its id, or a zod schema (the reply is parsed as JSON and validated). Default: the text. */
  parser?: ParserDef<O, I> | FunctionDef<[text: string], O, I> | string | ZodType<O>;
  /** Id of the LLM handler in the registry. Default "openai". */
  handler?: string;
  /** Passed to the handler as they are (model, temperature…); must be JSON. */
  params?: LLMParams;
  /**
   * How many times a reply the parser rejects (bad JSON, a schema failure, a parser error) is sent back
   * to the model with the error and the bad text. Default 1 with a zod schema parser, else 0.
   */
  maxRepairs?: number;
} & (
    | ({
        /** The prompt formatter: dependency outputs in, a prompt string or message list out. */
        prompt: FunctionDef<A, Prompt, I>;
      } & DepsOf<A>)
    | ({ prompt: string } & UncheckedDeps<A>)
  );

/** A task running a nested graph; `I` is the input type of the graph it is added to. */
export type GraphTaskSpec<A extends unknown[] = unknown[], O = unknown, I = unknown> = CommonSpec<O> & {
  kind?: 'graph';
  /** The nested graph; the task takes a copy of its definition. Its output is this task's output. */
  graph: TaskGraphBase<never, O> | TaskGraphBase<unknown, O>;
} & (
    | ({
        /** Formats the nested graph's input from the dependency outputs. Default: this graph's input. */
        input: FunctionDef<A, unknown, I>;
      } & DepsOf<A>)
    | ({ input?: string } & UncheckedDeps<A>)
  );

/** How a human task's answer becomes its output: the answer as it is, a parser, or a zod schema. */
export type AnswerParserDef<O, I = unknown> = FunctionDef<[answer: unknown], O, I> | string | ZodType<O>;

/** A task that asks a person; `I` is the input type of the graph it is added to. */
export type HumanTaskSpec<A extends unknown[] = unknown[], O = unknown, I = unknown> = CommonSpec<O> & {
  kind?: 'human';
  /** How the answer becomes the output: a parser, or a zod schema the answer must satisfy. Default: as it is. */
  parser?: AnswerParserDef<O, I>;
  /** The answer taken once the deadline has passed, or at once in an unattended run. Must be JSON. */
  default?: JsonValue;
  /** How long the question may wait, in ms from when it was first asked: then the default, or ANSWER_DEADLINE. */
  deadlineMs?: number;
} & (
    | ({
        /** Formats the question from the dependency outputs (text, or any JSON a form can show). */
        question: FunctionDef<A, unknown, I>;
      } & DepsOf<A>)
    | ({ question: string } & UncheckedDeps<A>)
  );

export type TaskSpec<O = unknown, I = unknown> =
  | (FunctionTaskSpec<unknown[], O, I> & { kind: 'function' })
  | (LLMTaskSpec<unknown[], O, I> & { kind: 'llm' })
  | (GraphTaskSpec<unknown[], O, I> & { kind: 'graph' })
  | (HumanTaskSpec<unknown[], O, I> & { kind: 'human' });
