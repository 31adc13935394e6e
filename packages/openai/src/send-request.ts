import type OpenAI from 'openai';
import { APIConnectionTimeoutError, APIError, OpenAIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { type ParsedCompletion, parseChatCompletion } from './chat-messages.js';
import type { LLMCallFailure } from './errors.js';
import { parseRetryAfter } from './retry-policy.js';

/** How one HTTP request of a call ended. */
export type AttemptOutcome =
  | { kind: 'ok'; completion: ParsedCompletion }
  | { kind: 'cancelled' }
  | {
      kind: 'failed';
      failure: LLMCallFailure;
      retryable: boolean;
      status?: number;
      retryAfterMs?: number;
      detail: string;
      cause?: unknown;
    };

export interface SendRequestOptions {
  /** The caller's signal: aborting it cancels the request (outcome "cancelled"). */
  signal: AbortSignal;
  /** Time allowed for the whole request, body included. */
  timeoutMs: number;
}

/**
 * Sends one chat completion request through the SDK (its own retries off) and reads the body itself, so that a
 * dropped connection, an HTML page or malformed JSON are told apart and the timeout covers the body too.
 */
export function sendRequest(
  client: OpenAI,
  body: Record<string, unknown>,
  options: SendRequestOptions,
): Promise<AttemptOutcome> {
  return guardAttempt(options, async (signal) => {
    const response = await client.chat.completions
      // The body is the caller's params as they are; the server, not this handler, judges them.
      .create(body as unknown as ChatCompletionCreateParamsNonStreaming, {
        signal,
        timeout: options.timeoutMs,
        maxRetries: 0,
      })
      .asResponse();
    const contentType = response.headers.get('content-type');
    return parseBody(contentType, await response.text());
  });
}

/**
 * Runs one attempt with a signal that fires when the caller's does or when `timeoutMs` has passed, and
 * turns what it throws into an outcome: cancelled, timed out, or a failure classified for retrying.
 */
export async function guardAttempt(
  options: SendRequestOptions,
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome>,
): Promise<AttemptOutcome> {
  const { signal, timeoutMs } = options;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const cancel = () => controller.abort(signal.reason);
  signal.addEventListener('abort', cancel, { once: true });
  if (signal.aborted) cancel();
  try {
    return await attempt(controller.signal);
  } catch (error) {
    if (signal.aborted) return { kind: 'cancelled' };
    if (timedOut || error instanceof APIConnectionTimeoutError) {
      return {
        kind: 'failed',
        failure: 'timeout',
        retryable: true,
        detail: `no answer within ${timeoutMs} ms`,
      };
    }
    return classifyError(error);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
  }
}

function classifyError(error: unknown): AttemptOutcome {
  if (error instanceof APIError && error.status !== undefined) {
    const { status } = error;
    const retryAfterMs = parseRetryAfter(error.headers);
    const base = { kind: 'failed', status, detail: error.message, cause: error } as const;
    const withDelay = retryAfterMs === undefined ? base : { ...base, retryAfterMs };
    if (status === 429) return { ...withDelay, failure: 'rate-limited', retryable: true };
    if (status === 408 || status === 409 || status >= 500) {
      return { ...withDelay, failure: 'server-error', retryable: true };
    }
    return { ...base, failure: 'rejected', retryable: false };
  }
  if (error instanceof OpenAIError && !(error instanceof APIError)) {
    return { kind: 'failed', failure: 'rejected', retryable: false, detail: error.message, cause: error };
  }
  // APIConnectionError before the headers, or the body stream failing after them (undici's "terminated").
  const detail = error instanceof Error ? describeConnectionError(error) : String(error);
  return { kind: 'failed', failure: 'connection', retryable: true, detail, cause: error };
}

function describeConnectionError(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

function parseBody(contentType: string | null, text: string): AttemptOutcome {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(mediaType === 'application/json' || mediaType.endsWith('+json'))) {
    return badResponse(`the server answered with content-type "${contentType ?? '(none)'}", not JSON`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return badResponse(`the body is not valid JSON (${JSON.stringify(text.slice(0, 40))}…)`, error);
  }
  const parsed = parseChatCompletion(json);
  return parsed.ok
    ? { kind: 'ok', completion: parsed.completion }
    : badResponse(`the body is not a chat completion: ${parsed.problem}`);
}

export function badResponse(detail: string, cause?: unknown): AttemptOutcome {
  return { kind: 'failed', failure: 'bad-response', retryable: false, detail, cause };
}
