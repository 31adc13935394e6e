import type { IncomingHttpHeaders } from 'node:http';

/** A chat completion the test server answers with. */
export interface CompletionReply {
  /** The assistant's text (default null when the reply is a tool call, else "ok"). */
  content?: string | null;
  /** Tool calls; `id` defaults to "call_<request>_<n>", object arguments are sent as JSON. */
  toolCalls?: ScriptedToolCall[];
  refusal?: string;
  /** Default "tool_calls" when there are tool calls, else "stop". */
  finishReason?: string;
  /** The model the reply names (default the requested model, else "test-model"). */
  model?: string;
  /** Milliseconds between streamed chunks when the request streams (default 0: all at once). */
  chunkDelayMs?: number;
  /** Token counts (default one token per whitespace-separated word). */
  usage?: { promptTokens?: number; completionTokens?: number };
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/** A way for the test server to fail on purpose. */
export type Fault =
  /** Answer this status (429 with a `retry-after` header, 500…) with an OpenAI-style error body. */
  | { fault: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Answer `reply` (default the default reply) after `ms` milliseconds, unless the client left first. */
  | { fault: 'delay'; ms: number; reply?: ScriptedReply }
  /** Never answer; the request stays in flight until the client closes it or the server closes. */
  | { fault: 'hang' }
  /** 200 with content-type application/json and a body that is not JSON. */
  | { fault: 'malformed' }
  /** 200 with an HTML page, as a proxy or a wrong base URL gives. */
  | { fault: 'html' }
  /** Send the headers and half the body, then destroy the socket. */
  | { fault: 'drop' }
  /**
   * Stream the first `afterChunks` chunks (default 2) of `reply` (default the default reply) as server-sent
   * events, then end as `ending` says: destroy the socket ("drop", the default), send nothing more
   * ("hang"), or end the response as if it were complete ("end").
   */
  | { fault: 'cut-stream'; afterChunks?: number; ending?: 'drop' | 'hang' | 'end'; reply?: CompletionReply };

/** A reply: its text (shorthand for `{ content }`), a whole completion, or a fault. */
export type ScriptedReply = string | CompletionReply | Fault;

/** A request the test server received. */
export interface RecordedRequest {
  /** Position in the server's log, from 0. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  /** `body.model`, when it is a string. */
  readonly model: string | undefined;
  /** The text of the last user message ("" when there is none). */
  readonly lastUserText: string;
  /** When the whole body had arrived (Date.now()). */
  readonly time: number;
  /** How the request ended so far: still open, answered, closed by the client, or dropped by a fault. */
  outcome: RequestOutcome;
  /** Whether the client closed the connection before the answer was complete (an abort or a timeout). */
  clientClosed: boolean;
  /** Settles once the request has ended, with its outcome. */
  readonly settled: Promise<Exclude<RequestOutcome, 'pending'>>;
}

export type RequestOutcome = 'pending' | 'answered' | 'client-closed' | 'dropped';

export type ReplyFunction = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

/** Answers the requests it matches; every condition given must hold. */
export interface ReplyRule {
  /** The last user message contains this text, or matches this RegExp. */
  match?: string | RegExp;
  /** The requested model is this one, or matches this RegExp. */
  model?: string | RegExp;
  reply: ScriptedReply | ReplyFunction;
  /** Use the rule this many times, then drop it (default: no limit). */
  times?: number;
}

export function isFault(reply: ScriptedReply): reply is Fault {
  return typeof reply === 'object' && 'fault' in reply;
}

export function ruleMatches(rule: ReplyRule, request: RecordedRequest): boolean {
  return matches(rule.match, request.lastUserText) && matches(rule.model, request.model ?? '');
}

function matches(pattern: string | RegExp | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
}

/** Whether the request asks for a streamed answer (`stream: true`), and for the usage chunk at its end. */
export function wantsStream(request: RecordedRequest): { stream: boolean; includeUsage: boolean } {
  const body = record(request.body);
  return { stream: body.stream === true, includeUsage: record(body.stream_options).include_usage === true };
}

/** Whether the request asks for JSON output (`response_format` of type json_object or json_schema). */
export function wantsJson(request: RecordedRequest): boolean {
  const format = record(request.body).response_format;
  const type = record(format).type;
  return type === 'json_object' || type === 'json_schema';
}

/** The chat.completion body for `reply` to `request`. */
export function completionBody(reply: CompletionReply, request: RecordedRequest): Record<string, unknown> {
  const toolCalls = reply.toolCalls?.map((call, n) => ({
    id: call.id ?? `call_${request.index}_${n}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const hasCalls = toolCalls !== undefined && toolCalls.length > 0;
  const content = reply.content !== undefined ? reply.content : hasCalls ? null : 'ok';
  const message: Record<string, unknown> = { role: 'assistant', content, refusal: reply.refusal ?? null };
  if (hasCalls) message.tool_calls = toolCalls;
  const promptTokens = reply.usage?.promptTokens ?? countPromptTokens(request.body);
  const completionTokens =
    reply.usage?.completionTokens ??
    countWords(content ?? '') +
      (toolCalls ?? []).reduce(
        (sum, call) => sum + countWords(`${call.function.name} ${call.function.arguments}`),
        0,
      );
  return {
    id: `chatcmpl-test-${request.index}`,
    object: 'chat.completion',
    created: Math.floor(request.time / 1000),
    model: reply.model ?? request.model ?? 'test-model',
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: reply.finishReason ?? (hasCalls ? 'tool_calls' : 'stop'),
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** The text of the last user message of a request body. */
export function lastUserText(body: unknown): string {
  const messages = record(body).messages;
  if (!Array.isArray(messages)) return '';
  const last = messages.findLast((message: unknown) => record(message).role === 'user');
  return contentText(record(last).content);
}

function countPromptTokens(body: unknown): number {
  const messages = record(body).messages;
  if (!Array.isArray(messages)) return 0;
  return messages.reduce(
    (sum: number, message: unknown) => sum + countWords(contentText(record(message).content)),
    0,
  );
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => String(record(part).text ?? '')).join(' ');
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
