import type { AssistantMessage, ChatMessage, LLMUsage, ToolCall } from '@taskgraph/core';

/** A message as the chat completions API spells it (snake case). */
export type ApiMessage = { [key: string]: unknown };

/** Our camelCase messages in the API's snake case: `toolCalls` → `tool_calls`, `toolCallId` → `tool_call_id`. */
export function toApiMessages(messages: readonly ChatMessage[]): ApiMessage[] {
  return messages.map((message) => {
    const api: ApiMessage = { role: message.role, content: message.content };
    if (message.name !== undefined) api.name = message.name;
    if (message.toolCalls !== undefined) api.tool_calls = message.toolCalls;
    if (message.toolCallId !== undefined) api.tool_call_id = message.toolCallId;
    return api;
  });
}

/** What the handler keeps of a chat completion. */
export interface ParsedCompletion {
  message: AssistantMessage;
  usage?: LLMUsage;
  model?: string;
}

export type ParseOutcome = { ok: true; completion: ParsedCompletion } | { ok: false; problem: string };

/** Reads the first choice, the usage and the model of a chat completion body; says what is wrong if it is not one. */
export function parseChatCompletion(body: unknown): ParseOutcome {
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const choices = body.choices;
  if (!Array.isArray(choices)) return fail('the body has no "choices" array');
  const choice: unknown = choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) return fail('"choices[0].message" is missing');
  const raw = choice.message;
  const content = raw.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    return fail('"choices[0].message.content" is not a string');
  }
  const message: AssistantMessage = { role: 'assistant', content: content ?? null };
  const toolCalls = parseToolCalls(raw.tool_calls);
  if (toolCalls === 'invalid') return fail('"choices[0].message.tool_calls" is not a list of function calls');
  if (toolCalls !== undefined) message.toolCalls = toolCalls;
  if (typeof raw.refusal === 'string') message.refusal = raw.refusal;
  if (typeof choice.finish_reason === 'string') message.finishReason = choice.finish_reason;

  const completion: ParsedCompletion = { message };
  const usage = parseUsage(body.usage);
  if (usage !== undefined) completion.usage = usage;
  if (typeof body.model === 'string') completion.model = body.model;
  return { ok: true, completion };
}

function parseToolCalls(value: unknown): ToolCall[] | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return 'invalid';
  const calls: ToolCall[] = [];
  for (const call of value) {
    if (!isRecord(call) || typeof call.id !== 'string' || !isRecord(call.function)) return 'invalid';
    const { name, arguments: args } = call.function;
    if (typeof name !== 'string' || typeof args !== 'string') return 'invalid';
    calls.push({ id: call.id, type: 'function', function: { name, arguments: args } });
  }
  return calls.length === 0 ? undefined : calls;
}

function parseUsage(value: unknown): LLMUsage | undefined {
  if (!isRecord(value)) return undefined;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = value;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return undefined;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: typeof total === 'number' ? total : prompt + completion,
  };
}

function fail(problem: string): ParseOutcome {
  return { ok: false, problem };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
