import type { FunctionRegistry, RunOptions, TaskGraph } from '@taskgraph/core';
import { encodeValue } from '@taskgraph/core';
import { askInTerminal } from './ask-in-terminal.js';
import { cancelOnInterrupt } from './cancel-on-interrupt.js';
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
  /** Ask the questions of human tasks on the terminal, in place (else the run ends waiting for answers). */
  ask?: boolean;
}

export interface ExecutedRun {
  /** waiting: human tasks wait for answers (`error.waiting` lists their questions). */
  status: 'done' | 'failed' | 'cancelled' | 'waiting';
  /** The graph's output as plain JSON (values JSON cannot hold are encoded as the trace encodes them). */
  output?: unknown;
  /** Why the run failed; its message names the failing task. */
  error?: unknown;
  summary: RunSummary;
  /** Whether the run started: false when it was refused first (a bad option, a trace of another program…). */
  started: boolean;
}

/**
 * Runs `graph` with a progress view on stderr; Ctrl-C cancels the run (the trace keeps what finished), a
 * second one exits at once.
 * Never throws for a failed run: the error comes back with the summary of what ran.
 */
export async function executeRun(
  graph: TaskGraph,
  registry: FunctionRegistry,
  { io, progress, options, ask }: ExecuteOptions,
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
  const stopListening = cancelOnInterrupt({ controller, note: (text) => view?.note(text) });
  try {
    const output = await graph.run(registry, {
      ...options,
      ...(ask
        ? {
            answer: askInTerminal(
              () => view,
              () => controller.abort(),
            ),
          }
        : {}),
      signal: controller.signal,
      onEvent: monitor.onEvent,
    });
    return {
      status: 'done',
      output: output === undefined ? undefined : encodeValue(output).json,
      summary: monitor.summary(),
      started: true,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      status:
        code === 'CANCELLED' && controller.signal.aborted
          ? 'cancelled'
          : code === 'AWAITING_ANSWERS'
            ? 'waiting'
            : 'failed',
      error,
      summary: monitor.summary(),
      started: monitor.started,
    };
  } finally {
    stopListening();
    view.stop();
  }
}
