import type { ChatMessage, FunctionRegistry, HumanQuestion, JsonValue } from '@taskgraph/core';
import { AwaitingAnswersError, answerTask, TaskGraph, TaskGraphError } from '@taskgraph/core';
import type { Planner } from './create-planner.js';
import type { ConfirmRequest } from './planner-confirm.js';
import { asConfirmRequest } from './planner-confirm.js';
import type { PlannerResult } from './planner-result.js';
import type { PlannerInput } from './planner-settings.js';
import type { PlannerRunOptions } from './run-planner.js';
import { persistSaver } from './run-planner.js';

/** Where a driven run stands: a task to confirm, work to do, another question, or the end. */
export type DriverPause =
  | { type: 'confirm'; taskPath: string[]; request: ConfirmRequest }
  | {
      type: 'work';
      taskPath: string[];
      /** The external worker's name. */
      worker: string;
      task: string;
      /** What the worker is asked (the worker prompt). */
      messages: ChatMessage[];
    }
  | { type: 'question'; taskPath: string[]; question: unknown }
  | { type: 'done'; result: PlannerResult };

/**
 * Drives a planner run one pause at a time, as the original's own loop did (pop a task, ask "Continue?",
 * run it with your agent, refine): `next()` runs until the run needs something, a confirmation (with
 * `confirm: true`) or the result of a task given to an externalAssistant worker, and `answer(value)`
 * supplies it. Each `next()` resumes the same run: everything done is reused, no LLM call is repeated.
 * `graph` is the run, its trace `graph.toJSON()`.
 */
export class PlannerDriver {
  #graph: TaskGraph;
  #pause: DriverPause | undefined;
  readonly #planner: Planner;
  readonly #registry: FunctionRegistry;
  readonly #input: PlannerInput;
  readonly #options: PlannerRunOptions;

  constructor(
    planner: Planner,
    registry: FunctionRegistry,
    input: PlannerInput,
    options: PlannerRunOptions = {},
  ) {
    this.#planner = planner;
    this.#registry = registry;
    this.#input = input;
    this.#options = options;
    this.#graph = planner.graph(input);
  }

  get graph(): TaskGraph {
    return this.#graph;
  }

  /** Runs until the next pause (the same pause again while it is unanswered), or the end (then the end again). */
  async next(): Promise<DriverPause> {
    if (this.#pause) return this.#pause;
    const { persist, ...options } = this.#options;
    const graph = this.#graph;
    const saver =
      persist === undefined ? undefined : persistSaver(graph, this.#planner, persist, options.onEvent);
    try {
      await graph.run(this.#registry, {
        ...options,
        answer: this.#planner.answerer(options.answer),
        ...(saver ? { onEvent: saver.onEvent } : {}),
      });
    } catch (error) {
      if (!(error instanceof AwaitingAnswersError)) throw error;
      this.#pause = pauseOf(error.waiting[0] as HumanQuestion);
      return this.#pause;
    } finally {
      await saver?.flush();
    }
    const result = this.#planner.result(this.#graph, this.#input.id);
    if (!result) {
      throw new TaskGraphError(
        'TASK_FAILED',
        `PlannerDriver.next: planner "${this.#input.id ?? 'planner'}" ended without its end task.`,
      );
    }
    this.#pause = { type: 'done', result };
    return this.#pause;
  }

  /**
   * Answers the current pause: "run", "skip" or { edit } for a confirmation; the result (JSON) for work.
   * Checked as answerTask checks it (ANSWER_INVALID naming the task); the next `next()` goes on from it.
   */
  answer(value: JsonValue): void {
    const pause = this.#pause;
    if (!pause || pause.type === 'done') {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        'PlannerDriver.answer: nothing waits for an answer. Call next() first, and answer what it returns.',
      );
    }
    // A fresh copy of the trace, as a new process would load it, takes the answer.
    const graph = TaskGraph.fromJSON(JSON.parse(JSON.stringify(this.#graph.toJSON())));
    answerTask(graph, pause.taskPath, value);
    this.#graph = graph;
    this.#pause = undefined;
  }
}

function pauseOf(waiting: HumanQuestion): DriverPause {
  const taskPath = [...waiting.taskPath];
  const request = asConfirmRequest(waiting);
  if (request) return { type: 'confirm', taskPath, request };
  const q = waiting.question as { assistant?: unknown; task?: unknown; messages?: unknown } | null;
  if (q && typeof q === 'object' && typeof q.assistant === 'string' && typeof q.task === 'string') {
    const messages = Array.isArray(q.messages) ? (q.messages as ChatMessage[]) : [];
    return { type: 'work', taskPath, worker: q.assistant, task: q.task, messages };
  }
  return { type: 'question', taskPath, question: waiting.question };
}
