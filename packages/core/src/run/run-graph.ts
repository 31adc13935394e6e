import { checkGraphFunctions } from '../model/check-functions.js';
import { serializeError } from '../model/error-data.js';
import { AwaitingAnswersError, CancelledError, TaskFailedError, TaskGraphError } from '../model/errors.js';
import { keepShape, SHAPE_PLACEHOLDER } from '../model/keep-shape.js';
import type { FunctionRegistry } from '../model/registry.js';
import { FunctionRegistry as ShapeRegistry } from '../model/registry.js';
import type { RunInfo } from '../model/run-info.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { traceText } from '../store/trace-file-io.js';
import type { TraceStore } from '../store/trace-store.js';
import { mergeStoredState } from '../trace/merge-stored-state.js';
import { readTrace } from '../trace/trace-read.js';
import { writeTrace } from '../trace/trace-write.js';
import { checkTraceProgram } from './check-trace-program.js';
import { GraphRun } from './graph-run.js';
import type { RunOptions } from './run-options.js';
import { resolveRunOptions } from './run-options.js';
import { SharedRun, storeError } from './shared-run.js';

/** Runs a root graph; see TaskGraph.run. */
export async function runGraph(
  graph: TaskGraphBase,
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
    shared.countTasks(total, { taskPath: [] });
  } catch (error) {
    if (error instanceof TaskGraphError) error.trace = writeTrace(graph);
    throw error;
  }
  const started = Date.now();
  const info: RunInfo = { status: 'running', startedAt: new Date(started).toISOString() };
  if (resolved.program !== undefined) info.program = resolved.program;
  const previousInfo = graph.runInfo;
  graph.runInfo = info;
  if (resolved.trace !== undefined) {
    try {
      shared.store = await openStore(graph, resolved.trace, resolved.program);
      shared.storeOrigin = started;
    } catch (error) {
      graph.runInfo = previousInfo;
      throw error;
    }
  }
  const { signal } = resolved;
  const onAbort = () => {
    shared.cancelledByCaller = true;
    shared.stop(new CancelledError(undefined, signal?.reason));
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  shared.emit?.({ type: 'run:start', at: started, tasks: total });
  try {
    await new GraphRun(graph, shared, [], 0).start();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  let error = runError(shared);
  const ended = Date.now();
  info.status = error
    ? error.code === 'CANCELLED'
      ? 'cancelled'
      : 'failed'
    : shared.waiting.length > 0
      ? 'waiting'
      : 'done';
  // Waiting for people is not a failure: the run says which questions wait, and the trace holds them.
  if (!error && shared.waiting.length > 0) error = new AwaitingAnswersError(shared.waiting);
  info.endedAt = new Date(ended).toISOString();
  info.durationMs = ended - started;
  if (error && info.status !== 'waiting') info.error = serializeError(error);
  if (shared.usage.llmCalls > 0) {
    info.usage = { ...shared.usage };
    info.handlers = { ...shared.handlers };
  }
  if (shared.store) {
    try {
      await closeStore(graph, shared.store);
    } catch (failure) {
      error ??= storeError(shared.store.name, failure);
    }
  }
  shared.emit?.({ type: 'run:end', at: ended, status: info.status });
  if (error) {
    error.trace = writeTrace(graph);
    throw error;
  }
  return graph.outputTask?.output?.value;
}

/**
 * Opens the run's trace store: takes from what it holds the results the graph does not hold yet (so
 * running again with the same trace resumes), then commits the trace the run starts from.
 */
async function openStore(
  graph: TaskGraphBase,
  store: TraceStore,
  program: string | undefined,
): Promise<TraceStore> {
  const loaded = await store.load();
  if (loaded !== undefined) {
    const stored = readTrace(loaded, graph.createEmpty());
    checkTraceProgram(stored, program, store.name);
    mergeStoredState(graph, stored);
  }
  await store.commit(traceText(graph));
  return store;
}

/** Commits the final trace and releases the store. */
async function closeStore(graph: TaskGraphBase, store: TraceStore): Promise<void> {
  try {
    await store.flush();
    await store.commit(traceText(graph));
  } finally {
    await store.close();
  }
}

/** The error the run rejects with: the caller's cancel, a limit, or the first task failure. */
function runError(shared: SharedRun): TaskGraphError | undefined {
  const reason = shared.stopReason;
  if (shared.cancelledByCaller || reason?.code === 'LIMIT_EXCEEDED' || reason?.code === 'BUDGET_EXCEEDED') {
    return reason;
  }
  if (shared.failures.length > 0) return new TaskFailedError(shared.failures);
  return reason;
}

function countTasks(graph: TaskGraphBase): number {
  let count = 0;
  for (const task of graph.tasks()) {
    const nested = task.descriptor.nested?.graph(task);
    count += nested ? 1 + countTasks(nested) : 1;
  }
  return count;
}

// The shapes of a run's state outlive every run (see keepShape).
keepShape(
  new GraphRun(
    SHAPE_PLACEHOLDER as TaskGraphBase,
    keepShape(new SharedRun(new ShapeRegistry(), resolveRunOptions({}))),
    [],
    0,
  ),
);
