import type { AssistantMessage, ChatMessage, LLMUsage, TaskContext } from '@taskgraph/core';
import { z } from 'zod';
import { conversationOf } from './conversation-log.js';
import { errorSummary } from './error-summary.js';
import { UnknownConversationError } from './errors.js';
import type {
  FunctionResponder,
  HumanResponder,
  LLMResponder,
  RespondInfo,
  SubGraphResponder,
} from './loop-definition.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopNodeOutput } from './loop-state.js';
import { loopPromptMessages, messageText } from './prompt-messages.js';
import type { AttemptOutput } from './take-reply.js';

/** The conversation up to the step `output`, read from this process's conversation log. */
function historyOf(ctx: TaskContext, output: LoopNodeOutput): LoopMessage[] {
  const { state } = output;
  return conversationOf(state.log, state.added, `AgentLoop.respond (${ctx.taskId})`);
}

/** What a responder is told besides the message: `history` is built only when the responder reads it. */
function info(ctx: TaskContext, output: LoopNodeOutput): RespondInfo {
  const { state } = output;
  let history: LoopMessage[] | undefined;
  return {
    get history() {
      history ??= historyOf(ctx, output);
      return history;
    },
    turn: state.inTurn?.turn ?? state.turn + 1,
    loop: state.loop,
    session: state.session,
  };
}

/** The prompt formatter of an LLM responder: the loop's history as chat messages. */
export function llmPrompt(responder: LLMResponder) {
  return (ctx: TaskContext, previous: LoopNodeOutput): ChatMessage[] => {
    const history = historyOf(ctx, previous);
    return responder.prompt
      ? responder.prompt(history, responder.name)
      : loopPromptMessages(history, responder.name, responder.system);
  };
}

/**
 * The parser of every LLM responder: the reply, and the call's usage as the metered handler stored it in
 * the response (a response edited by hand into plain text counts one call and no tokens).
 */
export function parseReply(_ctx: TaskContext, _text: string, message: AssistantMessage): AttemptOutput {
  const stored = message as AssistantMessage & { usage?: LLMUsage | null; costUsd?: number | null };
  const reply = stored.toolCalls?.length
    ? { content: stored.content, toolCalls: stored.toolCalls }
    : { content: stored.content };
  return {
    kind: 'reply',
    reply,
    usage: {
      llmCalls: 1,
      promptTokens: stored.usage?.promptTokens ?? 0,
      completionTokens: stored.usage?.completionTokens ?? 0,
      totalTokens: stored.usage?.totalTokens ?? 0,
      costUsd: stored.costUsd ?? 0,
      unknownCostCalls: stored.costUsd === null ? 1 : 0,
    },
  };
}

/** The attempt of a function (agent) or human responder; a thrown error becomes an ERROR outcome. */
export function respondFunction(responder: FunctionResponder | HumanResponder) {
  return async (ctx: TaskContext, previous: LoopNodeOutput): Promise<AttemptOutput> => {
    const { pending } = previous.state;
    try {
      if (responder.kind === 'function') {
        return { kind: 'reply', reply: (await responder.respond(pending, info(ctx, previous))) ?? null };
      }
      const reply = responder.ask
        ? await responder.ask(pending, info(ctx, previous))
        : responder.defaultReply;
      return { kind: 'reply', reply: reply ?? null };
    } catch (error) {
      // Not the responder's failure: the run cannot go on without the conversation.
      if (error instanceof UnknownConversationError) throw error;
      return { kind: 'error', error: errorSummary(error) };
    }
  };
}

/**
 * What a person may answer a human responder's question with: their reply as text, or null for no
 * reply (the next responder is tried). It is the human task's schema, so a wrong answer is refused.
 */
export const HUMAN_REPLY_SCHEMA = z.string().nullable();

/** The question formatter of a human responder a person answers: `question`, else the pending message's text. */
export function humanQuestion(responder: HumanResponder) {
  return (ctx: TaskContext, previous: LoopNodeOutput): unknown =>
    responder.question
      ? responder.question(previous.state.pending, info(ctx, previous))
      : messageText(previous.state.pending);
}

/** The input formatter of a sub-graph responder. */
export function subGraphInput(responder: SubGraphResponder) {
  return (ctx: TaskContext, previous: LoopNodeOutput): unknown =>
    responder.input
      ? responder.input(previous.state.pending, info(ctx, previous))
      : previous.state.pending.content;
}

/** The prompt of the typed-result re-ask. */
export function reaskPrompt(schemaText: string) {
  return (_ctx: TaskContext, end: LoopNodeOutput): string =>
    `Give the answer below as JSON matching this JSON Schema, and nothing else.\nSchema: ${schemaText}\nAnswer: ${end.state.result?.content ?? ''}`;
}
