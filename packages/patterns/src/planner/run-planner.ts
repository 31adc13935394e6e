import type { FunctionRegistry, HumanQuestion, RunEvent, RunOptions, TaskGraph } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { ToolCallRecord } from '../shared/tools.js';
import { toolCallText } from '../shared/tools.js';
import type { Planner } from './create-planner.js';
import type { ConfirmHook } from './planner-confirm.js';
import { asConfirmRequest } from './planner-confirm.js';
import { writePlannerPersist } from './planner-persist.js';
import type { PlannerResult } from './planner-result.js';
import type { PlannerInput } from './planner-settings.js';
import type { PlannerState } from './planner-state.js';
import type { WorkResult } from './planner-step.js';

/** Options of planner.run: core's run options, and a persist file. */
export interface PlannerRunOptions extends RunOptions {
  /**
   * Also keep the state in the original's persist format (readPlannerPersist reads it back) at this
   * path, written atomically after every step. The trace (`trace`) remains what a run resumes from.
   */
  persist?: string;
}

/** planner.run: builds the graph, runs it (confirmations answered by the planner's hook), and reads the result. */
export async function runPlanner(
  planner: Planner,
  registry: FunctionRegistry,
  input: PlannerInput,
  options: PlannerRunOptions,
): Promise<{ result: PlannerResult; graph: TaskGraph }> {
  const { persist, ...runOptions } = options;
  const graph = planner.graph(input);
  const saver = persist === undefined ? undefined : persistSaver(graph, planner, persist, runOptions.onEvent);
  try {
    await graph.run(registry, {
      ...runOptions,
      answer: planner.answerer(runOptions.answer),
      ...(saver ? { onEvent: saver.onEvent } : {}),
    });
  } finally {
    await saver?.flush();
  }
  const result = planner.result(graph, input.id);
  if (!result) {
    throw new TaskGraphError(
      'TASK_FAILED',
      `Planner.run: planner "${input.id ?? 'planner'}" ended without its end task.`,
    );
  }
  return { result, graph };
}

/** The run option `answer` that gives confirmations to `hook`, and every other question to `other`. */
export function confirmAnswerer(
  hook: ConfirmHook | undefined,
  other: RunOptions['answer'],
): (question: HumanQuestion) => unknown {
  return (question) => {
    const request = hook && asConfirmRequest(question);
    return request ? hook(request) : other?.(question);
  };
}

/** Writes the state of every step (and confirmation gate) that finishes, one write after the other. */
export function persistSaver(
  graph: TaskGraph,
  planner: Planner,
  path: string,
  onEvent: RunOptions['onEvent'],
) {
  let writes: Promise<void> = Promise.resolve();
  const stateFns = new Set([planner.ids.step, planner.ids.gate]);
  return {
    onEvent(event: RunEvent) {
      onEvent?.(event);
      if (event.type !== 'task:done' || event.taskPath.length !== 1) return;
      const task = graph.task(event.taskPath[0] as string);
      if (task?.kind !== 'function' || !stateFns.has(task.fn) || !task.output) return;
      const state = task.output.value as PlannerState;
      writes = writes.then(() => writePlannerPersist(path, state));
    },
    flush: () => writes,
  };
}

/** A task's result as the refine prompt shows it. */
export function workResultText(result: WorkResult | undefined): string {
  if (result === undefined || result === null) return '';
  if (typeof result === 'string') return result;
  if (isToolCall(result)) return `${result.tool}(${JSON.stringify(result.input)}) -> ${toolCallText(result)}`;
  return JSON.stringify(result);
}

function isToolCall(result: WorkResult): result is ToolCallRecord {
  return (
    typeof result === 'object' &&
    result !== null &&
    !Array.isArray(result) &&
    'tool' in result &&
    'input' in result
  );
}
