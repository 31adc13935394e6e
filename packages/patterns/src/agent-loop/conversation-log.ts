import { canonicalJson, hashText } from '@taskgraph/core/internal';
import { UnknownConversationError } from './errors.js';
import type { LoopMessage } from './loop-message.js';

/**
 * What a step task stores of the conversation before its own messages: how many messages, and a hash
 * chain over them (each link hashes the previous link and one message). Bounded, whatever the turn.
 */
export interface ConversationLog {
  length: number;
  hash: string;
}

export const EMPTY_LOG: ConversationLog = { length: 0, hash: '' };

/** One message of a conversation and the conversation before it: shared by every later conversation. */
interface LogNode {
  readonly message: LoopMessage;
  readonly prev: LogNode | null;
  readonly length: number;
  readonly hash: string;
}

/**
 * The conversations this process has seen, by the hash of their log: each entry is held weakly, and kept
 * alive by the step states that end there (`heads`), so a graph that is dropped frees its conversation.
 */
const byHash = new Map<string, WeakRef<LogNode>>();
const forget = new FinalizationRegistry<string>((hash) => {
  if (byHash.get(hash)?.deref() === undefined) byHash.delete(hash);
});
const heads = new WeakMap<object, LogNode>();

function find(log: ConversationLog): LogNode | null | undefined {
  if (log.length === 0) return null;
  const node = byHash.get(log.hash)?.deref();
  return node && node.length === log.length ? node : undefined;
}

function link(prev: LogNode | null, message: LoopMessage): LogNode {
  const hash = hashText(`${prev?.hash ?? ''}\n${canonicalJson(message)}`);
  const known = byHash.get(hash)?.deref();
  if (known) return known;
  const node: LogNode = { message, prev, length: (prev?.length ?? 0) + 1, hash };
  byHash.set(hash, new WeakRef(node));
  forget.register(node, hash);
  return node;
}

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
  let node = find(log);
  let { length, hash } = log;
  for (const message of messages) {
    if (node === undefined) {
      hash = hashText(`${hash}\n${canonicalJson(message)}`);
      length += 1;
    } else {
      node = link(node, message);
      ({ length, hash } = node);
    }
  }
  if (node && holder) heads.set(holder, node);
  return { length, hash };
}

/** Whether the conversation that ends at the step state `holder` is known in this process. */
export function isIndexed(holder: object): boolean {
  return heads.has(holder);
}

/** The messages of a log known in this process, oldest first, or undefined when it is not known. */
export function logMessages(log: ConversationLog): LoopMessage[] | undefined {
  const node = find(log);
  if (node === undefined) return undefined;
  const messages: LoopMessage[] = new Array(log.length);
  for (let at: LogNode | null = node; at; at = at.prev) messages[at.length - 1] = at.message;
  return messages;
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
