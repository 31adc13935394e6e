import type { Attributes } from '@opentelemetry/api';
import type { AssistantMessage, ChatMessage, LLMUsage, Prompt } from '@taskgraph/core';
import { promptToMessages } from '@taskgraph/core';
import { ATTR } from './attribute-names.js';

/** What is known of one LLM call, from a run's events or from a saved trace. */
export interface LLMCallFacts {
  handler: string;
  /** The provider name for `gen_ai.provider.name` (default the handler id). */
  provider: string;
  params?: Readonly<Record<string, unknown>> | undefined;
  requestModel?: string | undefined;
  responseModel?: string | undefined;
  usage?: LLMUsage | undefined;
  costUsd?: number | null | undefined;
  /** The reply as stored; gives the finish reason, and the output messages when content is captured. */
  response?: AssistantMessage | undefined;
  /** The prompt as stored; gives the input messages when content is captured. */
  prompt?: Prompt | undefined;
}

/** The GenAI semantic convention attributes of an LLM call; message content only when `captureContent`. */
export function genAiAttributes(facts: LLMCallFacts, captureContent: boolean): Attributes {
  const params = facts.params ?? {};
  const requestModel = typeof params.model === 'string' ? params.model : facts.requestModel;
  const attributes: Attributes = {
    [ATTR.operationName]: 'chat',
    [ATTR.providerName]: facts.provider,
    [ATTR.system]: facts.provider,
    [ATTR.llmHandler]: facts.handler,
  };
  set(attributes, ATTR.requestModel, requestModel);
  set(attributes, ATTR.requestTemperature, numberParam(params.temperature));
  set(attributes, ATTR.requestTopP, numberParam(params.top_p));
  set(attributes, ATTR.requestMaxTokens, numberParam(params.max_completion_tokens ?? params.max_tokens));
  set(attributes, ATTR.requestSeed, numberParam(params.seed));
  set(attributes, ATTR.responseModel, facts.responseModel);
  set(attributes, ATTR.inputTokens, facts.usage?.promptTokens);
  set(attributes, ATTR.outputTokens, facts.usage?.completionTokens);
  if (typeof facts.costUsd === 'number') attributes[ATTR.llmCostUsd] = facts.costUsd;
  const finish = facts.response?.finishReason;
  if (typeof finish === 'string') attributes[ATTR.responseFinishReasons] = [finish];
  if (captureContent) {
    if (facts.prompt !== undefined) {
      attributes[ATTR.inputMessages] = JSON.stringify(promptToMessages(facts.prompt).map(toSemconvMessage));
    }
    if (facts.response !== undefined) {
      const output = { ...toSemconvMessage(facts.response), finish_reason: finish ?? 'stop' };
      attributes[ATTR.outputMessages] = JSON.stringify([output]);
    }
  }
  return attributes;
}

type Part =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_call_response'; id: string; response: string };

/** A message in the semantic conventions' shape: a role and a list of parts. */
function toSemconvMessage(message: ChatMessage | AssistantMessage): { role: string; parts: Part[] } {
  const parts: Part[] = [];
  const { content } = message;
  if (message.role === 'tool' && 'toolCallId' in message && message.toolCallId !== undefined) {
    parts.push({ type: 'tool_call_response', id: message.toolCallId, response: content ?? '' });
  } else if (typeof content === 'string') {
    parts.push({ type: 'text', content });
  }
  for (const call of message.toolCalls ?? []) {
    parts.push({
      type: 'tool_call',
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    });
  }
  if ('refusal' in message && typeof message.refusal === 'string') {
    parts.push({ type: 'text', content: message.refusal });
  }
  return { role: message.role, parts };
}

function numberParam(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function set(attributes: Attributes, key: string, value: string | number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}
