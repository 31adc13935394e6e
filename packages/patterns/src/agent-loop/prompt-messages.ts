import type { ChatMessage } from '@taskgraph/core';
import type { LoopMessage } from './loop-message.js';

/**
 * The chat an LLM responder named `self` sees: its own messages as `assistant` (with their tool calls),
 * the answers to its tool calls as `tool` messages, everything else as `user` messages.
 */
export function loopPromptMessages(
  history: readonly LoopMessage[],
  self: string,
  system?: string,
): ChatMessage[] {
  const messages: ChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
  let openCalls: string[] = [];
  for (const message of history) {
    if (message.entity === 'llm' && message.sender === self) {
      closeCalls(messages, openCalls, '');
      const assistant: ChatMessage = { role: 'assistant', content: message.content };
      if (message.toolCalls?.length) assistant.toolCalls = message.toolCalls;
      messages.push(assistant);
      openCalls = (message.toolCalls ?? []).map((call) => call.id);
      continue;
    }
    if (openCalls.length > 0) {
      for (const id of openCalls) {
        const result = message.toolResults?.find((entry) => entry.toolCallId === id);
        messages.push({ role: 'tool', toolCallId: id, content: result?.content ?? message.content ?? '' });
      }
      openCalls = [];
      continue;
    }
    messages.push({ role: 'user', content: messageText(message) });
  }
  return messages;
}

/** A tool call must be answered before the next assistant message. */
function closeCalls(messages: ChatMessage[], openCalls: readonly string[], content: string): void {
  for (const id of openCalls) messages.push({ role: 'tool', toolCallId: id, content });
}

/** A message as one text: its content, then its tool calls and tool results, a line each. */
export function messageText(message: LoopMessage): string {
  const calls = (message.toolCalls ?? []).map((call) => `${call.function.name}(${call.function.arguments})`);
  const results = (message.toolResults ?? []).map((result) => result.content);
  return [message.content ?? '', ...calls, ...results].filter((part) => part !== '').join('\n');
}
