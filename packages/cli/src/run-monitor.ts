import type { RunEvent, TaskGraph } from '@taskgraph/core';
import type { CallObserver } from './instrument-handlers.js';
import { formatAddress, visitTasks } from './task-address.js';

/** Characters of a streaming reply kept for the live display. */
const TAIL_CHARS = 200;

type TaskState = 'pending' | 'running' | 'done' | 'reused' | 'failed' | 'skipped' | 'cancelled';

/** Where a run stands, for the progress display. */
export interface RunProgress {
  total: number;
  /** Finished: ran or reused. */
  done: number;
  running: number;
  failed: number;
  llmInFlight: number;
  llmCalls: number;
  tokens: number;
  costUsd: number;
  /** Calls whose model had no price: the cost shown leaves them out. */
  unknownCostCalls: number;
  /** Milliseconds since the monitor was created (the run's start). */
  elapsedMs: number;
}

/** What a run did, as `--json` reports it. */
export interface RunSummary {
  tasks: Record<'total' | 'ran' | 'reused' | 'failed' | 'skipped' | 'cancelled' | 'dropped', number>;
  /** Addresses of the tasks that ran (rather than being reused), in the order they started. */
  ran: string[];
  /** Addresses of the tasks that called an LLM, once per call, in the order the calls started. */
  llmCalls: string[];
  tokens: number;
  costUsd: number;
  unknownCostCalls: number;
  /** Wall-clock milliseconds from the start of the run to this summary. */
  elapsedMs: number;
}

/**
 * Follows a run through its events and its LLM calls: which tasks ran, were reused, failed; calls in
 * flight, tokens and cost. `onChange` is called after each change.
 */
export class RunMonitor implements CallObserver {
  readonly #states = new Map<string, TaskState>();
  readonly #ran: string[] = [];
  readonly #calls: string[] = [];
  /** The latest text of the LLM calls streaming now, by task address (only the tail is kept). */
  readonly #tails = new Map<string, string>();
  #dropped = 0;
  #inFlight = 0;
  #tokens = 0;
  #cost = 0;
  #unknownCost = 0;
  readonly #startedAt: number;
  /** Whether the run's `run:start` event came. */
  started = false;

  /** `now` reads the clock (milliseconds) for the elapsed time; tests give their own. */
  constructor(
    graph: TaskGraph,
    readonly onChange: (event: RunEvent | undefined) => void = () => {},
    readonly now: () => number = () => performance.now(),
  ) {
    this.#startedAt = now();
    visitTasks(graph, (_task, path) => {
      this.#states.set(formatAddress(path), 'pending');
    });
  }

  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'run:start') this.started = true;
    if (event.type === 'run:start' || event.type === 'run:end') {
      this.onChange(event);
      return;
    }
    const address = formatAddress(event.taskPath);
    switch (event.type) {
      case 'task:added':
        this.#states.set(address, 'pending');
        break;
      case 'task:start':
        if (this.#states.get(address) !== 'running') this.#ran.push(address);
        this.#states.set(address, 'running');
        break;
      case 'task:reused':
        this.#states.set(address, 'reused');
        break;
      case 'task:done':
      case 'task:failed':
      case 'task:cancelled':
        this.#states.set(
          address,
          event.type === 'task:done' ? 'done' : event.type === 'task:failed' ? 'failed' : 'cancelled',
        );
        this.#tails.delete(address);
        break;
      case 'task:skipped':
        this.#states.set(address, 'skipped');
        break;
      case 'task:dropped':
        if (this.#states.delete(address)) this.#dropped++;
        break;
      case 'llm:delta': {
        const text = (this.#tails.get(address) ?? '') + event.text;
        this.#tails.set(address, text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text);
        break;
      }
      case 'llm:usage':
        this.#tails.delete(address);
        this.#tokens += event.usage?.totalTokens ?? 0;
        if (typeof event.costUsd === 'number') this.#cost += event.costUsd;
        else this.#unknownCost++;
        break;
    }
    this.onChange(event);
  };

  callStarted(taskPath: readonly string[]): void {
    this.#inFlight++;
    this.#calls.push(formatAddress(taskPath));
    this.onChange(undefined);
  }

  callEnded(): void {
    this.#inFlight--;
    this.onChange(undefined);
  }

  progress(): RunProgress {
    const count = this.#count();
    return {
      total: this.#states.size,
      done: count.done + count.reused,
      running: count.running,
      failed: count.failed,
      llmInFlight: this.#inFlight,
      llmCalls: this.#calls.length,
      tokens: this.#tokens,
      costUsd: this.#cost,
      unknownCostCalls: this.#unknownCost,
      elapsedMs: this.now() - this.#startedAt,
    };
  }

  /** The last characters each streaming LLM call has sent so far, by task address, oldest call first. */
  streamingTails(): Array<{ task: string; text: string }> {
    return [...this.#tails].map(([task, text]) => ({ task, text }));
  }

  /** Addresses of the tasks running now. */
  runningTasks(): string[] {
    return [...this.#states].filter(([, state]) => state === 'running').map(([address]) => address);
  }

  summary(): RunSummary {
    const count = this.#count();
    return {
      tasks: {
        total: this.#states.size,
        ran: this.#ran.length,
        reused: count.reused,
        failed: count.failed,
        skipped: count.skipped,
        cancelled: count.cancelled,
        dropped: this.#dropped,
      },
      ran: [...this.#ran],
      llmCalls: [...this.#calls],
      tokens: this.#tokens,
      costUsd: this.#cost,
      unknownCostCalls: this.#unknownCost,
      elapsedMs: this.now() - this.#startedAt,
    };
  }

  #count(): Record<TaskState, number> {
    const count: Record<TaskState, number> = {
      pending: 0,
      running: 0,
      done: 0,
      reused: 0,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    };
    for (const state of this.#states.values()) count[state]++;
    return count;
  }
}
