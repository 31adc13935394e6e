import type { ChainLog } from '../shared/hash-chain-log.js';
import { EMPTY_CHAIN, HashChainLog } from '../shared/hash-chain-log.js';
import { UnknownConversationError } from './errors.js';
import type { LoopMessage } from './loop-message.js';

/**
 * What a step task stores of the conversation before its own messages: how many messages, and a hash
 * chain over them (each link hashes the previous link and one message). Bounded, whatever the turn.
 */
export type ConversationLog = ChainLog;

export const EMPTY_LOG: ConversationLog = EMPTY_CHAIN;

/** The conversations this process has seen, held by the step states that end there. */
const conversations = new HashChainLog<LoopMessage>();

/**
 * The log after `messages`, computed from the messages themselves (an edited message changes every
 * later link, so every later step and prompt sees the edit). When the log before them is known in this
 * process, the new conversation is remembered too, held by `holder` (the state that ends there).
 */
export function extendLog(
  log: ConversationLog,
  messages: readonly LoopMessage[],
  holder?: object,
): ConversationLog {
  return conversations.extend(log, messages, holder);
}

/** Whether the conversation that ends at the step state `holder` is known in this process. */
export function isIndexed(holder: object): boolean {
  return conversations.isIndexed(holder);
}

/** The messages of a log known in this process, oldest first, or undefined when it is not known. */
export function logMessages(log: ConversationLog): LoopMessage[] | undefined {
  return conversations.items(log);
}

/** The messages of `log` followed by `added`, or a typed error when the log is not known here. */
export function conversationOf(
  log: ConversationLog,
  added: readonly LoopMessage[],
  where: string,
): LoopMessage[] {
  const before = logMessages(log);
  if (before === undefined) {
    throw new UnknownConversationError(where, log.length);
  }
  return linked([...before, ...added]);
}

/**
 * A copy of `messages` where each message that another one answers names it as `childId` (the last
 * message with that id, as the loop links them when it commits a reply).
 */
export function linked(messages: readonly LoopMessage[]): LoopMessage[] {
  const out = messages.map((message) => ({ ...message }));
  const lastById = new Map<string, number>();
  out.forEach((message, i) => {
    if (message.parentId !== undefined) {
      const parent = lastById.get(message.parentId);
      if (parent !== undefined) (out[parent] as LoopMessage).childId = message.id;
    }
    lastById.set(message.id, i);
  });
  return out;
}
