import type { FunctionRegistry, LLMHandler } from '@taskgraph/core';

export interface CallObserver {
  /** An LLM call of the task at `taskPath` starts (it holds its concurrency slot). */
  callStarted(taskPath: readonly string[]): void;
  /** It returned or threw. */
  callEnded(taskPath: readonly string[]): void;
}

/**
 * Replaces every LLM handler of `registry` with one of the same id that tells `observer` when each call
 * starts and ends: the run events report a call only once it has returned, and the progress display
 * shows the calls in flight. The registry belongs to this process, so it is changed in place.
 */
export function instrumentHandlers(registry: FunctionRegistry, observer: CallObserver): void {
  for (const id of registry.handlerIds()) {
    const inner = registry.handler(id);
    const wrapped: LLMHandler = {
      id: inner.id,
      ...(inner.description === undefined ? {} : { description: inner.description }),
      async call(request, options) {
        observer.callStarted(options.taskPath);
        try {
          return await inner.call(request, options);
        } finally {
          observer.callEnded(options.taskPath);
        }
      },
    };
    registry.addHandler(wrapped);
  }
}
