import type { LLMCallOptions, LLMHandler, LLMRequest, LLMResult } from '@taskgraph/core';

/**
 * Wraps an LLM handler so that a test decides when calls answer: while the gate is closed, a call waits
 * (or fails when its task is cancelled). Lets a test see a task running, then let it finish.
 */
export class GatedHandler implements LLMHandler {
  readonly #inner: LLMHandler;
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => undefined;
  readonly calls: string[] = [];

  readonly id: string;
  readonly description?: string;

  constructor(inner: LLMHandler) {
    this.#inner = inner;
    this.id = inner.id;
    if (inner.description !== undefined) this.description = inner.description;
  }

  /** Calls from now on wait until `open()`. */
  close(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  open(): void {
    this.#open();
  }

  async call(request: LLMRequest, options: LLMCallOptions): Promise<LLMResult> {
    this.calls.push(options.taskPath.join(' > '));
    await new Promise<void>((resolve, reject) => {
      if (options.signal.aborted) reject(options.signal.reason);
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
      void this.#gate.then(resolve);
    });
    return this.#inner.call(request, options);
  }
}
