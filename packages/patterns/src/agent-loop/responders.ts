import type { ChatMessage, LLMParams, TaskGraph } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type {
  FunctionResponder,
  HumanResponder,
  LLMResponder,
  LoopLike,
  RespondInfo,
  SubGraphResponder,
  SubLoopOptions,
  SubLoopResponder,
} from './loop-definition.js';
import type { LoopMessage, ResponderOutput } from './loop-message.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

interface CommonOptions {
  /** Skips the responder for messages it returns false for (after the default eligibility rules). */
  canRespond?: (message: LoopMessage) => boolean;
  /** Lets the responder answer its own messages (default false). */
  answersOwnMessages?: boolean;
}

export interface LLMResponderOptions extends CommonOptions {
  /** Default "llm". */
  name?: string;
  /** LLM handler id in the registry (default "openai"). */
  handler?: string;
  params?: LLMParams;
  /** A system message put before the conversation. */
  system?: string;
  /** Builds the prompt from the history instead of the default mapping. */
  prompt?: (history: readonly LoopMessage[], self: string) => ChatMessage[];
  /**
   * Read a reply that starts with `TO[name]:` as addressed to `name` (the rest is the content), as
   * langroid's `recognize_recipient_in_content`. Default true.
   */
  recognizeRecipientInContent?: boolean;
  /** Bump it when `prompt` changes, so replays ask again. */
  version?: string;
}

/** An LLM that answers the pending message, seeing the loop's history as a chat (each call is an LLM task). */
export function llmResponder(options: LLMResponderOptions = {}): LLMResponder {
  return {
    kind: 'llm',
    ...common('llmResponder', options.name ?? 'llm', options),
    handler: options.handler ?? 'openai',
    params: options.params ?? {},
    system: options.system,
    prompt: options.prompt,
    recognizeRecipientInContent: options.recognizeRecipientInContent ?? true,
    version: options.version,
  };
}

export interface FunctionResponderOptions extends CommonOptions {
  name: string;
  respond: (message: LoopMessage, info: RespondInfo) => ResponderOutput | Promise<ResponderOutput>;
  /** Answers only messages with a call of one of these tools (langroid's handler of tool messages). */
  tools?: readonly string[];
  version?: string;
}

/** Code that answers the pending message (langroid's agent responder); a thrown error ends the loop with ERROR. */
export function functionResponder(options: FunctionResponderOptions): FunctionResponder {
  if (typeof options?.respond !== 'function') {
    throw invalid('functionResponder', '`respond` must be a function (message, info) => reply');
  }
  const { tools } = options;
  const handlesTools = tools
    ? (message: LoopMessage) => (message.toolCalls ?? []).some((call) => tools.includes(call.function.name))
    : undefined;
  const own = options.canRespond;
  const canRespond =
    handlesTools && own ? (m: LoopMessage) => handlesTools(m) && own(m) : (handlesTools ?? own);
  return {
    kind: 'function',
    ...common('functionResponder', options.name, { ...options, ...(canRespond ? { canRespond } : {}) }),
    respond: options.respond,
    version: options.version,
  };
}

export interface HumanResponderOptions extends CommonOptions {
  /** Default "user". */
  name?: string;
  /** Answers in this process instead of a person (a chat front end, a test): a function task. */
  ask?: (message: LoopMessage, info: RespondInfo) => ResponderOutput | Promise<ResponderOutput>;
  /** A scripted reply given without asking anyone (langroid's default_human_response), for tests. */
  defaultReply?: string;
  /** What a person is asked (JSON; default: the pending message's text). */
  question?: (message: LoopMessage, info: RespondInfo) => unknown;
  /** The reply taken when nobody will answer: an unattended run, or once `deadlineMs` has passed. */
  defaultAnswer?: string;
  /** How long the person may take, in ms from when they were first asked (then `defaultAnswer`, or ANSWER_DEADLINE). */
  deadlineMs?: number;
  /** Bump it when `ask` or `question` changes, so replays ask again. */
  version?: string;
}

/**
 * A human: asked first in interactive loops, else only when a message is addressed to them. Without
 * `ask` or `defaultReply`, a person answers: each turn that needs them is a human task (see
 * docs/people-in-the-loop.md), the run pauses there (AWAITING_ANSWERS) until `answerTask`, the CLI, the
 * viewer or the run's `answer` callback supplies the reply, and the reply is a stored, editable value.
 */
export function humanResponder(options: HumanResponderOptions = {}): HumanResponder {
  if (options.deadlineMs !== undefined && !(Number.isFinite(options.deadlineMs) && options.deadlineMs >= 0)) {
    throw invalid(
      'humanResponder',
      `\`deadlineMs\` must be a number of ms from 0 up (got ${String(options.deadlineMs)})`,
    );
  }
  for (const key of ['defaultReply', 'defaultAnswer'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') {
      throw invalid('humanResponder', `\`${key}\` must be a string (got ${JSON.stringify(options[key])})`);
    }
  }
  return {
    kind: 'human',
    ...common('humanResponder', options.name ?? 'user', options),
    ask: options.ask,
    defaultReply: options.defaultReply,
    question: options.question,
    defaultAnswer: options.defaultAnswer,
    deadlineMs: options.deadlineMs,
    version: options.version,
  };
}

/** Whether a person answers the human responder (a human task), rather than `ask` or `defaultReply`. */
export function asksPerson(responder: HumanResponder): boolean {
  return responder.ask === undefined && responder.defaultReply === undefined;
}

export interface SubLoopResponderOptions extends SubLoopOptions, CommonOptions {
  /** Default: the sub-loop's name. */
  name?: string;
  /** Hand the sub-loop only messages with tool calls. */
  toolsOnly?: boolean;
}

/**
 * Another loop as a responder: it runs on the pending message, inheriting the session, what
 * remains of the budget and a turn limit; its result comes back as a user message, and a null result
 * (STALLED, MAX_TURNS, INF_LOOP, ERROR) counts as no response, so the next responder is tried.
 */
export function subLoop(loop: LoopLike, options: SubLoopResponderOptions = {}): SubLoopResponder {
  if (!loop?.definition) throw invalid('subLoop', '`loop` must be an AgentLoop');
  const { name, toolsOnly, canRespond, answersOwnMessages, ...pair } = options;
  const toolsFilter = toolsOnly ? (m: LoopMessage) => (m.toolCalls?.length ?? 0) > 0 : undefined;
  const filter =
    toolsFilter && canRespond
      ? (m: LoopMessage) => toolsFilter(m) && canRespond(m)
      : (toolsFilter ?? canRespond);
  return {
    kind: 'loop',
    ...common('subLoop', name ?? loop.definition.name, {
      ...(filter ? { canRespond: filter } : {}),
      ...(answersOwnMessages === undefined ? {} : { answersOwnMessages }),
    }),
    loop,
    pair,
  };
}

export interface SubGraphResponderOptions extends CommonOptions {
  name: string;
  graph: TaskGraph;
  /** The nested graph's input (default: the pending message's content). */
  input?: (message: LoopMessage, info: RespondInfo) => unknown;
  /** The reply from the nested graph's output (default: a string is the content). */
  output?: (value: unknown) => ResponderOutput;
  version?: string;
}

/** A task graph as a responder: it runs as a nested graph task on the pending message. */
export function subGraph(options: SubGraphResponderOptions): SubGraphResponder {
  if (typeof options?.graph?.cloneDefinition !== 'function')
    throw invalid('subGraph', '`graph` must be a TaskGraph');
  return {
    kind: 'graph',
    ...common('subGraph', options.name, options),
    graph: options.graph,
    input: options.input,
    output: options.output,
    version: options.version,
  };
}

function common(api: string, name: string, options: CommonOptions) {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid(
      api,
      `\`name\` must start with a letter and hold only letters, digits, _ and - (got ${JSON.stringify(name)})`,
    );
  }
  return {
    name,
    ...(options.canRespond ? { canRespond: options.canRespond } : {}),
    ...(options.answersOwnMessages === undefined ? {} : { answersOwnMessages: options.answersOwnMessages }),
  };
}

function invalid(api: string, problem: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `${api}: ${problem}.`);
}
