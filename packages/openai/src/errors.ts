import { TaskGraphError } from '@taskgraph/core';

/** The codes of @taskgraph/openai's own errors (beside core's, which its handler also raises). */
export const OPENAI_ERROR_CODES = ['LLM_CONFIG', 'LLM_PRICE_UNKNOWN'] as const;
export type OpenAIErrorCode = (typeof OPENAI_ERROR_CODES)[number];

/** Why a call failed: the kinds of failure the handler tells apart (stable, for callers to branch on). */
export type LLMCallFailure =
  /** 429 Too Many Requests on every attempt. */
  | 'rate-limited'
  /** A 5xx (or 408/409) status on every attempt. */
  | 'server-error'
  /** No complete answer within `timeoutMs` on every attempt. */
  | 'timeout'
  /** The connection failed or was dropped before the answer was complete. */
  | 'connection'
  /** The server answered 2xx with something that is not a chat completion (HTML, malformed JSON…). */
  | 'bad-response'
  /** A 4xx status that retrying cannot fix (bad request, authentication, unknown model…). */
  | 'rejected';

/** Names the task an error is about, for messages. */
export function describeTask(taskPath: readonly string[]): string {
  return taskPath.length === 0 ? 'an LLM call' : `task "${taskPath.join(' > ')}"`;
}

export interface LLMCallErrorOptions {
  taskPath: readonly string[];
  failure: LLMCallFailure;
  /** How many HTTP requests were made, retries included. */
  attempts: number;
  /** HTTP status of the last answer, when there was one. */
  status?: number | undefined;
  /** What went wrong, in a few words (the server's error message, "timed out after 100 ms"…). */
  detail: string;
  cause?: unknown;
}

/** A chat completion request that failed for good, after the retries it was allowed (code LLM_CALL_FAILED). */
export class LLMCallError extends TaskGraphError {
  override readonly name = 'LLMCallError';
  readonly failure: LLMCallFailure;
  readonly attempts: number;
  readonly status: number | undefined;

  constructor(options: LLMCallErrorOptions) {
    const { taskPath, failure, attempts, status, detail } = options;
    const tries = attempts === 1 ? '1 request' : `${attempts} requests`;
    super(
      'LLM_CALL_FAILED',
      `OpenAIHandler.call: the LLM call of ${describeTask(taskPath)} failed (${failure}) after ${tries}: ${detail}. ${FIXES[failure]}`,
      { taskPath, cause: options.cause },
    );
    this.failure = failure;
    this.attempts = attempts;
    this.status = status;
  }
}

const FIXES: Record<LLMCallFailure, string> = {
  'rate-limited': 'Lower the concurrency of LLM tasks or raise maxRetries.',
  'server-error': 'The server failed; try again later or raise maxRetries.',
  timeout: 'Raise timeoutMs, or check that the server at baseURL is reachable.',
  connection: 'Check the network and the baseURL option (or OPENAI_BASE_URL).',
  'bad-response': 'Check that baseURL (or OPENAI_BASE_URL) points at an OpenAI-compatible API ending in /v1.',
  rejected: 'Fix the request parameters, the API key or the model name.',
};

/** The handler is not configured well enough to make a request (code LLM_CONFIG). Raised before any request. */
export class LLMConfigError extends TaskGraphError<OpenAIErrorCode> {
  override readonly name = 'LLMConfigError';
  constructor({ taskPath, problem, fix }: { taskPath: readonly string[]; problem: string; fix: string }) {
    super('LLM_CONFIG', `OpenAIHandler.call: ${problem} for ${describeTask(taskPath)}. ${fix}`, { taskPath });
  }
}

/** No price is known for a model and the handler was told to fail then (code LLM_PRICE_UNKNOWN). */
export class PriceUnknownError extends TaskGraphError<OpenAIErrorCode> {
  override readonly name = 'PriceUnknownError';
  readonly model: string;
  constructor(taskPath: readonly string[], model: string) {
    super(
      'LLM_PRICE_UNKNOWN',
      `OpenAIHandler.call: no price is known for model "${model}" used by ${describeTask(taskPath)}. Add it to the prices option ({ "${model}": { inputPerMillion, outputPerMillion } }) or set onUnknownPrice to "record".`,
      { taskPath },
    );
    this.model = model;
  }
}
