import type { LLMResult } from '../model/llm-handler.js';
import type { ResponseCache } from '../store/response-cache.js';

/** A response cache in memory, for tests and short-lived processes. */
export class MemoryResponseCache implements ResponseCache {
  readonly #entries = new Map<string, LLMResult>();

  async get(key: string): Promise<LLMResult | undefined> {
    const result = this.#entries.get(key);
    return result === undefined ? undefined : structuredClone(result);
  }

  async set(key: string, result: LLMResult): Promise<void> {
    this.#entries.set(key, structuredClone(result));
  }
}
