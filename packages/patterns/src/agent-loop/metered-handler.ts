import type { FunctionRegistry, LLMCallOptions, LLMHandler, LLMRequest, LLMResult } from '@taskgraph/core';
import { meteredHandlerId } from './function-ids.js';

/**
 * Wraps the handler registered as `inner` and keeps the usage and cost of each call in the stored
 * response (`response.usage`, `response.costUsd`). The loop's step tasks read them from there, so the
 * loop's own budget is computed from what the trace recorded: a replay, or an edit of the reply
 * text, gives the same totals. (Core passes parsers the message only; see the report's core requests.)
 */
export class MeteredHandler implements LLMHandler {
  readonly id: string;
  readonly #registry: FunctionRegistry;
  readonly #inner: string;

  constructor(registry: FunctionRegistry, inner: string) {
    this.id = meteredHandlerId(inner);
    this.#registry = registry;
    this.#inner = inner;
  }

  get description(): string {
    const ids = this.#registry.handlerIds();
    if (!ids.includes(this.#inner)) return `usage recorder around "${this.#inner}"`;
    return this.#registry.handler(this.#inner).description ?? this.#inner;
  }

  async call(request: LLMRequest, options: LLMCallOptions): Promise<LLMResult> {
    const result = await this.#registry.handler(this.#inner, options.taskPath).call(request, options);
    const message = Object.assign({}, result.message, {
      usage: result.usage ?? null,
      costUsd: result.costUsd ?? null,
    });
    return { ...result, message };
  }
}
