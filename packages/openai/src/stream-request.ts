import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { parseChatCompletion } from './chat-messages.js';
import { type AttemptOutcome, badResponse, guardAttempt, type SendRequestOptions } from './send-request.js';

export interface StreamRequestOptions extends SendRequestOptions {
  /** Told each piece of the reply's text as it arrives. */
  onDelta?: ((text: string) => void) | undefined;
}

/**
 * Sends one chat completion request with `stream: true` (and the usage chunk asked for), reports the text
 * as it arrives, and joins the chunks into the completion a request without streaming would have given:
 * the outcome goes through the same parser, so the stored response is the same. Aborting the signal
 * mid-stream closes the connection.
 */
export function streamRequest(
  client: OpenAI,
  body: Record<string, unknown>,
  options: StreamRequestOptions,
): Promise<AttemptOutcome> {
  const { onDelta } = options;
  const streamOptions = typeof body.stream_options === 'object' ? body.stream_options : {};
  const streamed = { ...body, stream: true, stream_options: { ...streamOptions, include_usage: true } };
  return guardAttempt(options, async (signal) => {
    const stream = await client.chat.completions.create(
      // The body is the caller's params as they are; the server, not this handler, judges them.
      streamed as unknown as ChatCompletionCreateParamsStreaming,
      { signal, timeout: options.timeoutMs, maxRetries: 0 },
    );
    const completion = new CompletionFromChunks();
    for await (const chunk of stream) {
      const text = completion.add(chunk);
      if (text && onDelta) onDelta(text);
    }
    // The SDK ends the loop quietly when the signal aborts: a cancel or the timeout, not a whole reply.
    signal.throwIfAborted();
    if (!completion.finished) {
      return {
        kind: 'failed',
        failure: 'connection',
        retryable: true,
        detail: 'the stream ended before the reply did (no chunk gave a finish reason)',
      };
    }
    const parsed = parseChatCompletion(completion.body());
    return parsed.ok
      ? { kind: 'ok', completion: parsed.completion }
      : badResponse(`the stream is not a chat completion: ${parsed.problem}`);
  });
}

interface ToolCallParts {
  id?: string;
  type?: string;
  name: string;
  arguments: string;
}

/** Joins the chunks of the first choice into a `chat.completion` body. */
class CompletionFromChunks {
  #model: string | undefined;
  #content: string | null = null;
  #refusal: string | null = null;
  #finishReason: string | null = null;
  #usage: unknown;
  #sawChoice = false;
  readonly #toolCalls: ToolCallParts[] = [];

  /** Takes one chunk; returns the text it adds to the reply. */
  add(chunk: ChatCompletionChunk): string | undefined {
    if (typeof chunk.model === 'string') this.#model = chunk.model;
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (!choice) return undefined;
    this.#sawChoice = true;
    if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    const { delta } = choice;
    if (!delta) return undefined;
    if (typeof delta.refusal === 'string') this.#refusal = (this.#refusal ?? '') + delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      const parts = this.#toolCalls[call.index] ?? { name: '', arguments: '' };
      this.#toolCalls[call.index] = parts;
      if (call.id) parts.id = call.id;
      if (call.type) parts.type = call.type;
      if (call.function?.name) parts.name += call.function.name;
      if (call.function?.arguments) parts.arguments += call.function.arguments;
    }
    if (typeof delta.content !== 'string') return undefined;
    this.#content = (this.#content ?? '') + delta.content;
    return delta.content;
  }

  /** Whether a chunk gave the finish reason: the reply is complete. */
  get finished(): boolean {
    return this.#finishReason !== null;
  }

  body(): unknown {
    if (!this.#sawChoice) return { model: this.#model };
    const message: Record<string, unknown> = { role: 'assistant', content: this.#content };
    if (this.#refusal !== null) message.refusal = this.#refusal;
    const calls = this.#toolCalls.filter((call) => call !== undefined);
    if (calls.length > 0) {
      message.tool_calls = calls.map((call) => ({
        id: call.id,
        type: call.type ?? 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    return {
      object: 'chat.completion',
      model: this.#model,
      choices: [{ index: 0, message, finish_reason: this.#finishReason }],
      usage: this.#usage,
    };
  }
}
