import type { LLMCallOptions, LLMHandler, LLMRequest, LLMResult } from '@taskgraph/core';
import { promptToMessages, TaskGraphError } from '@taskgraph/core';
import OpenAI from 'openai';
import { toApiMessages } from './chat-messages.js';
import { describeTask, LLMCallError, LLMConfigError, PriceUnknownError } from './errors.js';
import { computeCost, DEFAULT_PRICES, findPrice, type PriceTable } from './pricing.js';
import { type RetryOptions, type RetryPolicy, resolveRetryPolicy, retryDelay } from './retry-policy.js';
import { sendRequest } from './send-request.js';
import { streamRequest } from './stream-request.js';

export interface OpenAIHandlerOptions {
  /** The handler id stored in traces (default "openai"). */
  id?: string;
  /** What stands behind the handler, stored in traces (default "OpenAI chat completions API at <baseURL>"). */
  description?: string;
  /** API key; default the OPENAI_API_KEY environment variable. Without one every call fails with LLM_CONFIG. */
  apiKey?: string;
  /** Base URL of an OpenAI-compatible API, ending in /v1; default OPENAI_BASE_URL, else api.openai.com. */
  baseURL?: string;
  /** Organization and project headers; default OPENAI_ORG_ID and OPENAI_PROJECT_ID. */
  organization?: string;
  project?: string;
  /** The model used when a task's params name none. Without either, a call fails with LLM_CONFIG. */
  defaultModel?: string;
  /** Time allowed for one request, body included, in ms (default 600,000); a timed-out request is retried. */
  timeoutMs?: number;
  /** Retries and backoff (default: 2 retries, 500 ms doubling, 25% jitter, Retry-After honoured). */
  retry?: RetryOptions;
  /** Prices merged over DEFAULT_PRICES, by model name as the server reports it. */
  prices?: PriceTable;
  /** A model with no price gives `costUsd: null` ("record", the default) or fails with LLM_PRICE_UNKNOWN ("error"). */
  onUnknownPrice?: 'record' | 'error';
  /**
   * How a task with a zod schema parser asks for JSON when its params set no `response_format`:
   * "json_schema" (default; OpenAI and most compatible servers), "json_object" (servers without
   * schema support), or "none" (the prompt alone asks for JSON).
   */
  structuredOutput?: 'json_schema' | 'json_object' | 'none';
  /**
   * Stream every reply (default false; a task streams alone with `params.stream: true`, and
   * `params.stream: false` turns streaming off for it). A streamed call reports its text as `llm:delta`
   * events while it arrives; what it stores is the same response a call without streaming stores.
   */
  stream?: boolean;
  /** The fetch the SDK uses (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Where OPENAI_* variables are read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * An LLMHandler for the OpenAI chat completions API (and servers compatible with it), through the official SDK.
 * A string prompt is sent as one user message; `params` are the request body (model, temperature, tools,
 * response_format…). Each call retries 429 (after Retry-After), 5xx, timeouts and dropped connections with
 * exponential backoff and reports how many requests it took and what it cost.
 */
export class OpenAIHandler implements LLMHandler {
  readonly id: string;
  readonly description: string;
  readonly #client: OpenAI | undefined;
  readonly #defaultModel: string | undefined;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #prices: PriceTable;
  readonly #onUnknownPrice: 'record' | 'error';
  readonly #structuredOutput: 'json_schema' | 'json_object' | 'none';
  readonly #stream: boolean;

  constructor(options: OpenAIHandlerOptions = {}) {
    const env = options.env ?? process.env;
    const apiKey = options.apiKey ?? env.OPENAI_API_KEY;
    const baseURL = options.baseURL ?? env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL;
    this.id = options.id ?? 'openai';
    this.description = options.description ?? `OpenAI chat completions API at ${baseURL}`;
    this.#defaultModel = options.defaultModel;
    this.#structuredOutput = options.structuredOutput ?? 'json_schema';
    this.#timeoutMs = options.timeoutMs ?? 600_000;
    if (!Number.isInteger(this.#timeoutMs) || this.#timeoutMs <= 0) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `new OpenAIHandler: timeoutMs must be a positive integer (got ${this.#timeoutMs}). Pass milliseconds.`,
      );
    }
    this.#retry = resolveRetryPolicy(options.retry);
    this.#prices = { ...DEFAULT_PRICES, ...options.prices };
    this.#onUnknownPrice = options.onUnknownPrice ?? 'record';
    this.#stream = options.stream ?? false;
    this.#client =
      apiKey === undefined || apiKey === ''
        ? undefined
        : new OpenAI({
            apiKey,
            baseURL,
            organization: options.organization ?? env.OPENAI_ORG_ID ?? null,
            project: options.project ?? env.OPENAI_PROJECT_ID ?? null,
            maxRetries: 0,
            timeout: this.#timeoutMs,
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
          });
  }

  async call(request: LLMRequest, options: LLMCallOptions): Promise<LLMResult> {
    const { signal, taskPath } = options;
    const client = this.#client;
    if (client === undefined) {
      throw new LLMConfigError({
        taskPath,
        problem: 'no OpenAI API key is set',
        fix: 'Pass apiKey to new OpenAIHandler() or set the OPENAI_API_KEY environment variable; to run without a key, use startOfflineHandler from @taskgraph/openai/testing (see docs/getting-started.md).',
      });
    }
    const body = this.#requestBody(request, taskPath);
    if (this.#onUnknownPrice === 'error' && findPrice(this.#prices, body.model) === undefined) {
      throw new PriceUnknownError(taskPath, body.model);
    }

    const streaming = typeof request.params.stream === 'boolean' ? request.params.stream : this.#stream;
    let attempts = 0;
    for (;;) {
      if (signal.aborted) throw cancelled(taskPath, signal.reason);
      attempts += 1;
      const outcome = streaming
        ? await streamRequest(client, body, { signal, timeoutMs: this.#timeoutMs, onDelta: options.onDelta })
        : await sendRequest(client, body, { signal, timeoutMs: this.#timeoutMs });
      if (outcome.kind === 'cancelled') throw cancelled(taskPath, signal.reason);
      if (outcome.kind === 'ok') {
        const { message, usage, model } = outcome.completion;
        const result: LLMResult = { message, model: model ?? body.model, requests: attempts };
        if (usage !== undefined) result.usage = usage;
        result.costUsd = this.#cost(result, taskPath);
        return result;
      }
      if (!outcome.retryable || attempts > this.#retry.maxRetries) {
        const { failure, status, detail, cause } = outcome;
        throw new LLMCallError({ taskPath, failure, attempts, status, detail, cause });
      }
      await this.#retry.sleep(retryDelay(this.#retry, attempts, outcome.retryAfterMs), signal);
    }
  }

  #requestBody(
    request: LLMRequest,
    taskPath: readonly string[],
  ): Record<string, unknown> & { model: string } {
    const { params } = request;
    const model = params.model ?? this.#defaultModel;
    if (typeof model !== 'string' || model === '') {
      throw new LLMConfigError({
        taskPath,
        problem: `no model is named (params.model is ${JSON.stringify(params.model)})`,
        fix: 'Set params.model on the task or pass defaultModel to new OpenAIHandler().',
      });
    }
    const body: Record<string, unknown> & { model: string } = {
      ...params,
      model,
      messages: toApiMessages(promptToMessages(request.prompt)),
    };
    if (request.schema && body.response_format === undefined && this.#structuredOutput !== 'none') {
      body.response_format =
        this.#structuredOutput === 'json_object'
          ? { type: 'json_object' }
          : {
              type: 'json_schema',
              json_schema: { name: request.schema.name, schema: request.schema.schema },
            };
    }
    return body;
  }

  #cost(result: LLMResult, taskPath: readonly string[]): number | null {
    const model = result.model ?? '';
    const price = findPrice(this.#prices, model);
    if (price === undefined) {
      if (this.#onUnknownPrice === 'error') throw new PriceUnknownError(taskPath, model);
      return null;
    }
    return result.usage === undefined ? null : computeCost(price, result.usage);
  }
}

function cancelled(taskPath: readonly string[], reason: unknown): TaskGraphError {
  return new TaskGraphError(
    'CANCELLED',
    `OpenAIHandler.call: the LLM call of ${describeTask(taskPath)} was cancelled. Its signal was aborted.`,
    { taskPath, cause: reason },
  );
}
