import type { FunctionRegistry, RunOptions, TaskGraph } from '@taskgraph/core';
import { encodeValue } from '@taskgraph/core';
import type { CliIO } from './cli-io.js';
import { instrumentHandlers } from './instrument-handlers.js';
import type { ProgressMode, ProgressView } from './progress-view.js';
import { createProgressView } from './progress-view.js';
import { RunMonitor, type RunSummary } from './run-monitor.js';

export interface ExecuteOptions {
  io: CliIO;
  /** How progress is shown on stderr. */
  progress: ProgressMode;
  /** Core's run options; the signal (Ctrl-C) and the event listener are the CLI's. */
  options: Omit<RunOptions, 'onEvent' | 'signal'>;
}

export interface ExecutedRun {
  status: 'done' | 'failed' | 'cancelled';
  /** The graph's output as plain JSON (values JSON cannot hold are encoded as the trace encodes them). */
  output?: unknown;
  /** Why the run failed; its message names the failing task. */
  error?: unknown;
  summary: RunSummary;
}

/**
 * Runs `graph` with a progress view on stderr; Ctrl-C cancels the run (the trace keeps what finished).
 * Never throws for a failed run: the error comes back with the summary of what ran.
 */
export async function executeRun(
  graph: TaskGraph,
  registry: FunctionRegistry,
  { io, progress, options }: ExecuteOptions,
): Promise<ExecutedRun> {
  let view: ProgressView | undefined;
  const monitor = new RunMonitor(graph, (event) => view?.update(event));
  view = createProgressView(io, progress, () => ({
    ...monitor.progress(),
    runningTasks: monitor.runningTasks(),
    streaming: monitor.streamingTails(),
  }));
  instrumentHandlers(registry, monitor);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  try {
    const output = await graph.run(registry, {
      ...options,
      signal: controller.signal,
      onEvent: monitor.onEvent,
    });
    return {
      status: 'done',
      output: output === undefined ? undefined : encodeValue(output).json,
      summary: monitor.summary(),
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      status: code === 'CANCELLED' && controller.signal.aborted ? 'cancelled' : 'failed',
      error,
      summary: monitor.summary(),
    };
  } finally {
    process.off('SIGINT', cancel);
    view.stop();
  }
}
