import type { ChatMessage, FunctionRegistry, LLMParams, TaskGraph } from '@taskgraph/core';
import type { ZodType } from 'zod';
import type { DoneSequence } from './done-sequence.js';
import type { KillStore } from './kill-store.js';
import type { LoopMessage, ResponderOutput } from './loop-message.js';
import type { LoopReplyKind } from './reply-validity.js';

/** What a function or human responder gets besides the pending message. */
export interface RespondInfo {
  /**
   * Committed messages of the loop so far, the input first. Built when first read (a copy each time
   * the responder is called), so a responder that never reads it pays nothing per turn for it.
   */
  readonly history: readonly LoopMessage[];
  /** The turn being played (1 for the first). */
  turn: number;
  loop: string;
  session: string;
}

interface ResponderBase {
  /** Unique in its loop; letters, digits, `_` and `-`, starting with a letter. */
  name: string;
  /**
   * Checked after the default eligibility rules (not the sender of the pending message, not addressed
   * away, not blocked): return false to be skipped for `message` (recorded as `cannot-respond`), for
   * example a sub-loop that handles tool calls only.
   */
  canRespond?: (message: LoopMessage) => boolean;
  /** Lets the responder answer a message it sent itself (default false, as in langroid). */
  answersOwnMessages?: boolean;
}

export interface LLMResponder extends ResponderBase {
  kind: 'llm';
  /** Id of the LLM handler in the registry (default "openai"). */
  handler: string;
  /** Passed to the handler: model, temperature, tools… */
  params: LLMParams;
  system: string | undefined;
  /** Builds the prompt from the history; the default maps it to chat messages (see prompt-messages.ts). */
  prompt: ((history: readonly LoopMessage[], self: string) => ChatMessage[]) | undefined;
  /** Read a leading `TO[name]:` in a reply as its recipient (langroid's recognize_recipient_in_content). */
  recognizeRecipientInContent: boolean;
  version: string | undefined;
}

export interface FunctionResponder extends ResponderBase {
  kind: 'function';
  respond: (message: LoopMessage, info: RespondInfo) => ResponderOutput | Promise<ResponderOutput>;
  version: string | undefined;
}

export interface HumanResponder extends ResponderBase {
  kind: 'human';
  /** Answers in this process (a function task); with neither `ask` nor `defaultReply`, a person does. */
  ask: ((message: LoopMessage, info: RespondInfo) => ResponderOutput | Promise<ResponderOutput>) | undefined;
  /** A scripted reply, given without asking anyone (langroid's default_human_response). */
  defaultReply: string | undefined;
  /** The question a person is asked (a human task), from the pending message: default its text. */
  question: ((message: LoopMessage, info: RespondInfo) => unknown) | undefined;
  /** The reply an unattended run, or a passed `deadlineMs`, takes instead of the person's. */
  defaultAnswer: string | undefined;
  deadlineMs: number | undefined;
  version: string | undefined;
}

/** Options of a sub-loop that hold only when it runs as this parent's responder. */
export interface SubLoopOptions {
  turns?: number;
  maxStalledSteps?: number;
  cycleLen?: number;
  /** Hand a message with several tool calls to the sub-loop (default true); false answers each call with an error. */
  allowMultipleToolCalls?: boolean;
  /**
   * langroid's `restart_as_subtask`. false (default, as langroid): a call continues the conversation of
   * the sub-loop's previous call from the same caller run; true: every call starts afresh.
   */
  restartAsSubtask?: boolean;
}

export interface SubLoopResponder extends ResponderBase {
  kind: 'loop';
  loop: LoopLike;
  pair: SubLoopOptions;
}

export interface SubGraphResponder extends ResponderBase {
  kind: 'graph';
  graph: TaskGraph;
  /** The nested graph's input from the pending message (default: its content). */
  input: ((message: LoopMessage, info: RespondInfo) => unknown) | undefined;
  /** The responder's reply from the nested graph's output (default: a string is the content). */
  output: ((value: unknown) => ResponderOutput) | undefined;
  version: string | undefined;
}

export type Responder =
  | LLMResponder
  | FunctionResponder
  | HumanResponder
  | SubLoopResponder
  | SubGraphResponder;

export interface LoopBudget {
  maxTokens: number | null;
  maxCostUsd: number | null;
  /** A call with no known cost under `maxCostUsd`: "fail" (default) fails the run, "ignore" counts it as 0. */
  onUnknownCost: 'fail' | 'ignore';
}

export interface LoopDetection {
  /** Longest exact cycle looked for; 0 turns the exact-cycle check off. Default 10. */
  cycleLen: number;
  dominanceFactor: number;
  waitFactor: number;
  /** The DO-NOT-KNOW alternation check, switched on its own (default on). */
  noAnswerLoopCheck: boolean;
  noAnswerAlternations: number;
}

/** An AgentLoop as other parts see it: its checked configuration, and how to register its functions. */
export interface LoopLike {
  readonly definition: LoopDefinition;
  register(registry: FunctionRegistry): FunctionRegistry;
}

/** A loop's configuration once checked: what its step functions close over. */
export interface LoopDefinition {
  name: string;
  responders: readonly Responder[];
  byName: ReadonlyMap<string, Responder>;
  turns: number | null;
  maxTurns: number | null;
  maxStalledSteps: number;
  interactive: boolean;
  onlyUserQuitsRoot: boolean;
  addressingPrefix: string;
  allowNullResult: boolean;
  doneMarker: string | null;
  recognizeStringSignals: boolean;
  doneIfResponse: readonly string[];
  doneIfNoResponse: readonly string[];
  doneIfTool: boolean;
  doneSequences: readonly DoneSequence[];
  restart: boolean;
  loopDetection: LoopDetection;
  budget: LoopBudget;
  onInfiniteLoop: 'status' | 'throw';
  killStore: KillStore;
  session: string;
  classify: ((message: LoopMessage, standard: LoopReplyKind) => LoopReplyKind) | undefined;
  returnType: ZodType | undefined;
  reask: { handler: string; params: LLMParams } | undefined;
  /** Step drivers' gates: turns a session may play before its loop pauses (see step-driver.ts). */
  gates: Map<string, number>;
}
