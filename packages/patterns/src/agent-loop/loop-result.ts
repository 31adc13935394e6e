import type { TaskGraph } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { ZodType } from 'zod';
import { ReturnTypeError } from './errors.js';
import { stepFunctionId } from './function-ids.js';
import { loopHistory } from './loop-history.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopNodeOutput, LoopStateWithHistory, LoopUsage } from './loop-state.js';
import type { LoopStatus } from './loop-status.js';
import { extractTyped } from './return-type.js';

/**
 * The last step task of a loop run: where it ended or paused. Its state is a copy of the stored one with
 * `history`, the whole conversation, rebuilt from the run's steps.
 */
export interface LoopEnd {
  taskId: string;
  output: LoopNodeOutput & { state: LoopStateWithHistory };
}

/** How a loop run ended: the status, the result message (null for some statuses), and more. */
export interface LoopRunResult<T = unknown> {
  status: LoopStatus;
  result: LoopMessage | null;
  /** The result's content (null when the result is null). */
  content: string | null;
  /** The typed result, or null. */
  value: T | null;
  turns: number;
  usage: LoopUsage;
  /** The state where the run ended, with the whole conversation in `history`. */
  state: LoopStateWithHistory;
  /** Id of the step task where the loop ended. */
  endTask: string;
  /** The graph that ran, with its execution state: `graph.toJSON()` is the trace. */
  graph: TaskGraph;
}

/**
 * The step task of the loop started at `startId` that ended or paused the run: a step task of that loop
 * (its id under `startId`) whose state has a status or is paused. Undefined when the run did not get there.
 */
export function findLoopEnd(graph: TaskGraph, loop: string, startId: string): LoopEnd | undefined {
  const fn = stepFunctionId(loop);
  let end: { taskId: string; output: LoopNodeOutput } | undefined;
  for (const task of graph.tasks()) {
    if (task.kind !== 'function' || task.fn !== fn || task.status !== 'done') continue;
    if (task.id !== startId && !task.id.startsWith(`${startId}/`)) continue;
    const output = task.output?.value as LoopNodeOutput | undefined;
    if (!output?.state || (output.state.status === null && !output.state.paused)) continue;
    // Tasks are in the order they were added: a later step task (a caller's after its sub-loop's) wins.
    end = { taskId: task.id, output };
  }
  if (!end) return undefined;
  const { state } = end.output;
  const history = loopHistory(graph, end.taskId);
  return { taskId: end.taskId, output: { ...end.output, state: { ...state, history } } };
}

/** The result of a finished root run, with the typed value from the state, the re-ask, or `returnType`. */
export function loopRunResult<T>(
  graph: TaskGraph,
  loop: string,
  startId: string,
  options: { returnType?: ZodType<T> | undefined; strict?: boolean | undefined; typed?: boolean } = {},
): LoopRunResult<T> {
  const end = findLoopEnd(graph, loop, startId);
  if (!end || end.output.state.status === null) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `AgentLoop.run: loop "${loop}" (task "${startId}") has not ended in this graph. Run the graph to the end first.`,
      { taskPath: [startId] },
    );
  }
  const { state } = end.output;
  const reasked = reaskTask(graph, end.taskId)?.output?.value;
  let value: T | null;
  if (options.returnType) value = extractTyped(state.result, options.returnType);
  else value = (state.value ?? reasked ?? null) as T | null;
  if (options.strict && value === null && (options.returnType || options.typed)) {
    throw new ReturnTypeError(loop, state.result?.content ?? null);
  }
  return {
    status: state.status as LoopStatus,
    result: state.result,
    content: state.result?.content ?? null,
    value,
    turns: state.turn,
    usage: state.usage,
    state,
    endTask: end.taskId,
    graph,
  };
}

/** The re-ask LLM task that the step task `endId` created (local name "result"), if any. */
export function reaskTask(graph: TaskGraph, endId: string) {
  for (const task of graph.tasks()) {
    if (task.createdBy === endId && task.kind === 'llm' && /\/result(@\d+)?$/.test(task.id)) return task;
  }
  return undefined;
}
