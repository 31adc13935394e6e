import { TaskGraphError } from '../model/errors.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { RunEvent } from './run-events.js';
import { runGraph } from './run-graph.js';
import type { RunOptions } from './run-options.js';

/** What `TaskGraph.stream` yields: every event of the run, then one `result` with the graph's output. */
export type RunStreamItem<O = unknown> = RunEvent | { type: 'result'; output: O };

/**
 * Runs a graph and yields its events as they happen, then `{ type: 'result', output }`. A run that fails
 * (or waits for answers) throws its error from the loop once every event before it has been yielded.
 * Leaving the loop early (`break`, `return`, a throw) cancels the run and waits until it has settled, so
 * its trace is complete. Events wait in a queue while the loop body works; consecutive `llm:delta` events
 * of one task are joined there, so a slow consumer holds the run's lifecycle events plus one text per
 * streaming task, never one entry per token.
 */
export async function* streamRun(
  graph: TaskGraphBase,
  registry: FunctionRegistry,
  options: RunOptions = {},
): AsyncGenerator<RunStreamItem, void, undefined> {
  if (options === null || typeof options !== 'object') {
    throw new TaskGraphError('INVALID_ARGUMENT', 'TaskGraph.stream: `options` must be an object.');
  }
  const queue = new EventQueue();
  const controller = new AbortController();
  // The caller's signal cancels the run as it does for `run`; leaving the loop cancels it too.
  const callerSignal = options.signal;
  const forward = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forward();
  else callerSignal?.addEventListener('abort', forward, { once: true });
  const listener = options.onEvent;
  const run = runGraph(graph, registry, {
    ...options,
    signal: controller.signal,
    onEvent: (event) => {
      listener?.(event);
      queue.push(event);
    },
  });
  let outcome: { ok: true; output: unknown } | { ok: false; error: unknown } | undefined;
  run.then(
    (output) => {
      outcome = { ok: true, output };
      queue.wake();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      queue.wake();
    },
  );
  try {
    for (;;) {
      const event = queue.shift();
      if (event !== undefined) {
        yield event;
        continue;
      }
      if (outcome !== undefined) break;
      await queue.wait();
    }
  } finally {
    callerSignal?.removeEventListener('abort', forward);
    if (outcome === undefined) {
      controller.abort(
        new TaskGraphError('CANCELLED', 'TaskGraph.stream: the loop over the run ended before the run did.'),
      );
      await run.catch(() => undefined);
    }
  }
  if (!outcome.ok) throw outcome.error;
  yield { type: 'result', output: outcome.output };
}

/** Events not yet consumed, first in first out; a delta following a delta of the same task joins it. */
class EventQueue {
  #items: RunEvent[] = [];
  #head = 0;
  #waiter: (() => void) | undefined;

  push(event: RunEvent): void {
    const last = this.#items.length > this.#head ? this.#items[this.#items.length - 1] : undefined;
    if (event.type === 'llm:delta' && last?.type === 'llm:delta' && samePath(last.taskPath, event.taskPath)) {
      this.#items[this.#items.length - 1] = { ...last, text: last.text + event.text };
    } else {
      this.#items.push(event);
    }
    this.wake();
  }

  shift(): RunEvent | undefined {
    if (this.#head === this.#items.length) return undefined;
    const event = this.#items[this.#head++];
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return event;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
