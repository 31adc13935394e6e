import type { ToolCall } from '@taskgraph/core';
import type { LoopStatus } from './loop-status.js';

/**
 * langroid's three entities, which the done-sequence DSL and the prompt builder use: `llm` for an LLM
 * responder, `agent` for a function (handler) responder, `user` for the human, the loop's input and the
 * results of sub-loops and sub-graphs (they come back "as if from the user").
 */
export type LoopEntity = 'user' | 'llm' | 'agent';

/** The answer to one tool call, sent back to an LLM as a `tool` message. */
export interface ToolResult {
  toolCallId: string;
  content: string;
}

/** A committed message of a loop: plain JSON, kept in the loop state and the trace. */
export interface LoopMessage {
  /** `m0` for the input, `m<turn>` for the message committed by that turn. */
  id: string;
  /** The responder that produced it (`input` for the loop's input). */
  sender: string;
  entity: LoopEntity;
  /** For a sub-loop's result: the sub-loop's name. */
  senderName?: string;
  /** Only this responder (or the caller loop, which then ends) may answer it. */
  recipient?: string;
  content: string | null;
  toolCalls?: ToolCall[];
  toolResults?: ToolResult[];
  /** For a sub-loop's result: the status the sub-loop ended with. */
  status?: LoopStatus;
  /** A final-result signal: ends this loop and every loop above it. */
  finalResult?: boolean;
  /** A null result inserted on a step without a valid response (`allowNullResult`). */
  synthetic?: boolean;
  /** A responder that may not answer this message. */
  block?: string;
  /** The message this one answers, and the one that answered it. */
  parentId?: string;
  childId?: string;
  /** For a sub-loop's result: the id of the sub-loop's final step task. */
  via?: string;
}

/** What a responder may return besides plain text (or null for "no response"). */
export interface ResponderReply {
  content?: string | null;
  toolCalls?: ToolCall[];
  toolResults?: ToolResult[];
  /** Address the reply to one responder (`sendTo`). */
  sendTo?: string;
  /** Pass the pending message on unchanged (a pass-through: valid, but counts as a stalled step). */
  pass?: boolean;
  /** Pass the pending message on, addressed to this responder. */
  passTo?: string;
  /** Ends the loop with DONE. */
  done?: boolean;
  /** Ends the loop and every loop above it with DONE. */
  finalResult?: boolean;
  /** A responder that may not answer this reply. */
  block?: string;
}

/** A responder's answer: text, a structured reply, or null/undefined for no response. */
export type ResponderOutput = string | ResponderReply | null | undefined;

/** The reply that says "I do not know": invalid, but committed when no responder gives a valid reply. */
export const NO_ANSWER = 'DO-NOT-KNOW';
/** The pass marker: on its own it is an empty reply; `__PASS__:name` passes the message to `name`. */
export const PASS_MARKER = '__PASS__';
/** `__SEND__:name content` addresses `content` to `name`. */
export const SEND_MARKER = '__SEND__';
/** What a human types to end a loop (USER_QUIT). */
export const QUIT_STRINGS: readonly string[] = ['q', 'x', 'quit', 'exit', 'bye', 'DONE'];
/** Tool names that end a loop; `final_result` also ends every loop above it. */
export const DONE_TOOLS: readonly string[] = ['done', 'final_result'];

/** Whether `content` says DO-NOT-KNOW, once the characters `,.!?:` are removed. */
export function isNoAnswer(content: string | null | undefined): boolean {
  return (content ?? '').replace(/[,.!?:]/g, '').trim() === NO_ANSWER;
}

export function hasToolCalls(message: { toolCalls?: readonly unknown[] | undefined }): boolean {
  return (message.toolCalls?.length ?? 0) > 0;
}

export function toolNames(message: { toolCalls?: readonly ToolCall[] | undefined }): string[] {
  return (message.toolCalls ?? []).map((call) => call.function.name);
}
