import type { TaskGraphBase } from '@taskgraph/core';
import { extendLog, isIndexed, linked } from './conversation-log.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopNodeOutput } from './loop-state.js';

const STEP_FUNCTION_PREFIX = 'agent-loop/';

/** The state of a loop's step task, if `task` is one that has run. */
function stepState(graph: TaskGraphBase, id: string) {
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
export function loopHistory(graph: TaskGraphBase, taskId: string): LoopMessage[] {
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
 * Makes the conversations of the loops in `graph` (not in its nested graphs: each is indexed as it starts)
 * known to this process, so that a step, a responder or a prompt that runs again can read the
 * conversation before it: a graph hook (FunctionRegistry.onGraphStart) that a loop's registration adds,
 * so it runs whenever a graph starts, loaded from a trace, resumed or replayed. One pass over the
 * graph's tasks; a step already known costs one lookup.
 */
export function indexLoopHistory(graph: TaskGraphBase): void {
  for (const task of graph.tasks()) {
    const at = stepState(graph, task.id);
    if (at && !isIndexed(at.state)) extendLog(at.state.log, at.state.added, at.state);
  }
}
