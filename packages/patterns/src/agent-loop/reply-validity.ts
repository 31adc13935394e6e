import type { ToolCall } from '@taskgraph/core';
import type { LoopEntity, LoopMessage, ResponderOutput, ToolResult } from './loop-message.js';
import { isNoAnswer, PASS_MARKER } from './loop-message.js';

/**
 * What a reply is worth to a step: `valid` ends the search for a response; `invalid` (no reply,
 * empty content, the bare pass marker) tries the next responder; `no-answer` (DO-NOT-KNOW) also tries the
 * next one but is committed when nobody gives a valid reply; `pass` passes the pending message on
 * (valid, but the step counts as stalled).
 */
export type LoopReplyKind = 'valid' | 'invalid' | 'no-answer' | 'pass';

/** A responder's output in one shape, string signals read. */
export interface NormalizedReply {
  content: string | null;
  toolCalls: ToolCall[] | undefined;
  toolResults: ToolResult[] | undefined;
  recipient: string | undefined;
  pass: boolean;
  passTo: string | undefined;
  done: boolean;
  finalResult: boolean;
  block: string | undefined;
}

const PASS_TO = /^__PASS__:\s*([A-Za-z][\w-]*)\s*$/;
const SEND_TO = /^__SEND__:\s*([A-Za-z][\w-]*)\s*([\s\S]*)$/;
/** langroid's `TO[<name>]:<content>` addressing at the start of an LLM's reply (names may also hold `_ . -`). */
const ADDRESSED = /^\s*TO\[([A-Za-z0-9_.-]+)\]:([\s\S]*)$/;

/** How a reply's text is read. */
export interface ReadOptions {
  /** Read the string markers `__PASS__`, `__PASS__:name`, `__SEND__:name text` (recognizeStringSignals). */
  signals: boolean;
  /** The done marker, which together with `__PASS__` means "done, passing the previous result". */
  doneMarker: string | null;
  /** Read a leading `TO[name]:` as the recipient (LLM replies, as langroid's recognize_recipient_in_content). */
  addressing: boolean;
  /** langroid's addressing prefix ("" for none): `<prefix>name text` addresses text to name. */
  prefix?: string;
}

/**
 * Reads a responder's output. With `addressing`, a leading `TO[name]:` addresses the rest to `name`.
 * With `signals`, `__PASS__:name` and `__SEND__:name content` are read as `passTo` and `sendTo`, and a
 * text that holds `__PASS__` besides other words is a pass-through (langroid's `PASS in content`); with
 * the done marker in it too (`DONE __PASS__`) the loop ends with the message before it as the result.
 * Without, they are plain text.
 */
export function normalizeReply(output: ResponderOutput, options: ReadOptions): NormalizedReply | null {
  if (output === null || output === undefined) return null;
  const reply = typeof output === 'string' ? { content: output } : output;
  const normalized: NormalizedReply = {
    content: typeof reply.content === 'string' ? reply.content : null,
    toolCalls: reply.toolCalls && reply.toolCalls.length > 0 ? reply.toolCalls : undefined,
    toolResults: reply.toolResults && reply.toolResults.length > 0 ? reply.toolResults : undefined,
    recipient: reply.sendTo,
    pass: reply.pass === true,
    passTo: reply.passTo,
    done: reply.done === true,
    finalResult: reply.finalResult === true,
    block: reply.block,
  };
  const addressed = options.addressing && normalized.content !== null && ADDRESSED.exec(normalized.content);
  if (addressed) {
    normalized.recipient = addressed[1];
    normalized.content = (addressed[2] ?? '').trim();
  }
  if (options.signals && normalized.content !== null && normalized.toolCalls === undefined) {
    const text = normalized.content.trim();
    const passTo = PASS_TO.exec(text);
    const sendTo = SEND_TO.exec(text);
    if (passTo) normalized.passTo = passTo[1];
    else if (sendTo?.[2] === '') normalized.passTo = sendTo[1];
    else if (sendTo) {
      normalized.recipient = sendTo[1];
      normalized.content = sendTo[2] ?? '';
    } else if (text !== PASS_MARKER && text.includes(PASS_MARKER) && !text.includes(`${PASS_MARKER}:`)) {
      normalized.pass = true;
      if (options.doneMarker !== null && text.includes(options.doneMarker)) normalized.done = true;
    } else if (options.prefix) addressWithPrefix(normalized, text, options.prefix);
  }
  return normalized;
}

/** langroid's parse_addressed_message: the last `<prefix>name` followed by a non-word character. */
function addressWithPrefix(reply: NormalizedReply, text: string, prefix: string): void {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matches = [...text.matchAll(new RegExp(`${escaped}(\\w+)[^\\w]`, 'g'))];
  const last = matches.at(-1);
  if (!last) return;
  const rest = text.slice((last.index ?? 0) + last[0].length).trim();
  if (rest === '') reply.passTo = last[1];
  else {
    reply.recipient = last[1];
    reply.content = rest;
  }
}

/** langroid's validity rules, before a loop's own `classify` may change the verdict. */
export function standardKind(reply: NormalizedReply | null): LoopReplyKind {
  if (reply === null) return 'invalid';
  if (reply.pass || reply.passTo !== undefined) return 'pass';
  if (reply.done || reply.finalResult || reply.toolCalls || reply.toolResults) return 'valid';
  const text = (reply.content ?? '').trim();
  if (text === '' || text === PASS_MARKER) return 'invalid';
  if (isNoAnswer(text)) return 'no-answer';
  return 'valid';
}

/** The message a reply becomes once committed (its id is given at commit). */
export function replyMessage(reply: NormalizedReply, sender: string, entity: LoopEntity): LoopMessage {
  const message: LoopMessage = { id: '', sender, entity, content: reply.content };
  if (reply.recipient !== undefined) message.recipient = reply.recipient;
  if (reply.toolCalls) message.toolCalls = reply.toolCalls;
  if (reply.toolResults) message.toolResults = reply.toolResults;
  if (reply.finalResult) message.finalResult = true;
  if (reply.block !== undefined) message.block = reply.block;
  return message;
}
