/**
 * The LLM handler is the one extension point between core and any model provider. Core knows no provider:
 * `@taskgraph/openai` implements this interface, `ScriptedHandler` implements it for tests.
 */

/** A chat message as the OpenAI chat completions API defines it (the common subset every server accepts). */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | null;
  name?: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** What a prompt formatter returns: a string (sent as one user message) or a list of messages. */
export type Prompt = string | ChatMessage[];

/** Parameters passed through to the handler as they are: model, temperature, tools, response_format… */
export type LLMParams = { [key: string]: unknown };

/** The assistant message a handler returns; it is the stored `response` of an LLM task. */
export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  toolCalls?: ToolCall[];
  refusal?: string;
  finishReason?: string;
}

export interface LLMUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface LLMRequest {
  prompt: Prompt;
  params: LLMParams;
  /**
   * When the task's parser is a zod schema: the JSON Schema the reply must match. A handler asks the model
   * for JSON with it where the server supports that (OpenAI's `response_format: json_schema`).
   */
  schema?: { name: string; schema: unknown };
}

export interface LLMCallOptions {
  /** Fires when the task is cancelled; a handler passes it to its HTTP client. */
  signal: AbortSignal;
  /** The calling task, as a path from the root graph, for error messages. */
  taskPath: readonly string[];
  /**
   * Present when someone listens to the run's events: a handler that streams reports each piece of text
   * as it arrives (an `llm:delta` event). What the handler resolves to stays the whole reply.
   */
  onDelta?: (text: string) => void;
}

export interface LLMResult {
  message: AssistantMessage;
  usage?: LLMUsage;
  /** The model that answered, as the server names it. */
  model?: string;
  /** Cost of the call in USD; `null` when the handler knows no price for the model. */
  costUsd?: number | null;
  /** How many requests the call took (retries included). */
  requests?: number;
}

export interface LLMHandler {
  /** Stable id stored in the trace and covered by the response fingerprint ("openai", "scripted"…). */
  readonly id: string;
  /** One line that says what stands behind this handler; stored in the trace (for example "not a real model"). */
  readonly description?: string;
  call(request: LLMRequest, options: LLMCallOptions): Promise<LLMResult>;
}

/** Normalizes a prompt into a message list (a string becomes one user message). */
export function promptToMessages(prompt: Prompt): ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}
