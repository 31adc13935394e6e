import type { RunEventListener, TaskGraph } from '@taskgraph/core';
import { extendLog, linked } from './conversation-log.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopNodeOutput } from './loop-state.js';

const STEP_FUNCTION_PREFIX = 'agent-loop/';

/** The state of a loop's step task, if `task` is one that has run. */
function stepState(graph: TaskGraph, id: string) {
  const task = graph.task(id);
  if (task?.kind !== 'function' || !task.fn.startsWith(STEP_FUNCTION_PREFIX)) return undefined;
  const state = (task.output?.value as LoopNodeOutput | undefined)?.state;
  return state && Array.isArray(state.added) ? { task, state } : undefined;
}

/**
 * The whole conversation of a loop run up to its step task `taskId`, oldest first: the `added` messages
 * of that step and of each step before it, followed back through each step's first dependency to the
 * run's first step. Costs one pass over the run's steps.
 */
export function loopHistory(graph: TaskGraph, taskId: string): LoopMessage[] {
  const parts: LoopMessage[][] = [];
  for (let at = stepState(graph, taskId); at; ) {
    parts.push(at.state.added);
    const args = at.task.args as { turn?: number } | undefined;
    const previous = at.task.deps[0];
    if (args?.turn === undefined || previous === undefined) break;
    at = stepState(graph, previous);
  }
  return linked(parts.reverse().flat());
}

/**
 * Makes the conversations of the loops in `graph` (not in its nested graphs) known to this process, so
 * that a step, a responder or a prompt that runs again when the graph runs again can read the
 * conversation before it. AgentLoop.run and StepDriver do it; call it on a graph of your own loaded from
 * a trace (TaskGraph.fromJSON, loadTrace) before running it again. One pass over the graph's tasks.
 */
export function indexLoopHistory(graph: TaskGraph): void {
  for (const task of graph.tasks()) {
    const at = stepState(graph, task.id);
    if (at) extendLog(at.state.log, at.state.added, at.state);
  }
}

/**
 * A run listener that makes each loop step the run reuses from a stored trace (a resumed trace file)
 * known to this process as it is reused, before the tasks after it run; then calls `listener`.
 */
export function indexingListener(graph: TaskGraph, listener?: RunEventListener): RunEventListener {
  return (event) => {
    if (event.type === 'task:reused' && event.taskPath.length === 1) {
      const at = stepState(graph, event.taskPath[0] as string);
      if (at) extendLog(at.state.log, at.state.added, at.state);
    }
    listener?.(event);
  };
}
