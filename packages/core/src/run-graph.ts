import { checkGraphFunctions } from './check-functions.js';
import { serializeError } from './error-data.js';
import { CancelledError, TaskFailedError, TaskGraphError } from './errors.js';
import { GraphRun } from './graph-run.js';
import type { FunctionRegistry } from './registry.js';
import type { RunOptions } from './run-options.js';
import { resolveRunOptions } from './run-options.js';
import { SharedRun } from './shared-run.js';
import type { TaskGraph } from './task-graph.js';
import { closeTraceFile, openTraceFile } from './trace-persistence.js';
import type { RunInfo } from './trace-schema.js';

/** Runs a root graph; see TaskGraph.run. */
export async function runGraph(
  graph: TaskGraph,
  registry: FunctionRegistry,
  options: RunOptions,
): Promise<unknown> {
  if (!registry || typeof registry.get !== 'function') {
    throw new TaskGraphError('INVALID_ARGUMENT', 'TaskGraph.run: `registry` must be a FunctionRegistry.');
  }
  const resolved = resolveRunOptions(options);
  if (graph.running) {
    throw new TaskGraphError(
      'RUN_IN_PROGRESS',
      'TaskGraph.run: the graph is already running. Wait for that run to settle.',
    );
  }
  checkGraphFunctions(registry, graph);
  const shared = new SharedRun(registry, resolved);
  const total = countTasks(graph);
  try {
    shared.countTasks(total, []);
  } catch (error) {
    if (error instanceof TaskGraphError) error.trace = graph.toJSON();
    throw error;
  }
  const started = Date.now();
  const info: RunInfo = { status: 'running', startedAt: new Date(started).toISOString() };
  if (resolved.program !== undefined) info.program = resolved.program;
  const previousInfo = graph.runInfo;
  graph.runInfo = info;
  if (resolved.trace !== undefined) {
    try {
      shared.journal = await openTraceFile(graph, resolved.trace, (e) => shared.stop(e));
    } catch (error) {
      graph.runInfo = previousInfo;
      throw error;
    }
  }
  const { signal } = resolved;
  const onAbort = () => shared.stop(new CancelledError(undefined, signal?.reason));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  shared.emit?.({ type: 'run:start', at: started, tasks: total });
  try {
    await new GraphRun(graph, shared, [], 0).start();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const error = runError(shared);
  const ended = Date.now();
  info.status = error ? (error.code === 'CANCELLED' ? 'cancelled' : 'failed') : 'done';
  info.endedAt = new Date(ended).toISOString();
  info.durationMs = ended - started;
  if (error) info.error = serializeError(error);
  if (shared.usage.llmCalls > 0) {
    info.usage = { ...shared.usage };
    info.handlers = { ...shared.handlers };
  }
  if (shared.journal && resolved.trace !== undefined)
    await closeTraceFile(graph, resolved.trace, shared.journal);
  shared.emit?.({ type: 'run:end', at: ended, status: info.status });
  if (error) {
    error.trace = graph.toJSON();
    throw error;
  }
  return graph.outputTask?.output?.value;
}

/** The error the run rejects with: the caller's cancel, a limit, or the first task failure. */
function runError(shared: SharedRun): TaskGraphError | undefined {
  const reason = shared.stopReason;
  if (
    reason instanceof CancelledError ||
    reason?.code === 'LIMIT_EXCEEDED' ||
    reason?.code === 'BUDGET_EXCEEDED'
  ) {
    return reason;
  }
  if (shared.failures.length > 0) return new TaskFailedError(shared.failures);
  return reason;
}

function countTasks(graph: TaskGraph): number {
  let count = 0;
  for (const task of graph.tasks()) count += task.kind === 'graph' ? 1 + countTasks(task.graph) : 1;
  return count;
}
