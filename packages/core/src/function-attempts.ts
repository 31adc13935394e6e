import { TaskGraphError } from './errors.js';
import type { GraphRun } from './graph-run.js';
import type { FunctionDef } from './registry.js';
import type { FunctionTask } from './task.js';

/** Retries and timeout of a function task. */
export interface AttemptPolicy {
  /** Further attempts after a failure (default 0). */
  retries: number;
  /** Longest one attempt may take, in ms; its `ctx.signal` fires then (default: no limit). */
  timeoutMs: number | undefined;
  /** Delay before the first retry, doubled before each next one (default 100 ms). */
  backoffMs: number;
}

/**
 * Calls a function task's function until it succeeds or its attempts run out. Each attempt gets its own
 * signal, which fires on timeout or when the run stops; an attempt past its timeout fails with TIMEOUT
 * even if the function ignores its signal.
 */
export async function callWithAttempts(
  run: GraphRun,
  task: FunctionTask,
  def: FunctionDef<never[], unknown>,
  args: never[],
  policy: AttemptPolicy,
): Promise<unknown> {
  const { shared } = run;
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    const stopAttempt = () => controller.abort(shared.signal.reason);
    shared.signal.addEventListener('abort', stopAttempt, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (policy.timeoutMs === undefined) return;
      timer = setTimeout(() => {
        const error = new TaskGraphError(
          'TIMEOUT',
          `TaskGraph.run: task "${run.taskPath(task).join(' > ')}" took longer than ${policy.timeoutMs} ms (attempt ${attempt} of ${policy.retries + 1}).`,
          { taskPath: run.taskPath(task) },
        );
        controller.abort(error);
        reject(error);
      }, policy.timeoutMs);
    });
    try {
      const call = async () => def.fn(run.context(task, controller.signal), ...args);
      const limit = shared.functionLimit;
      return await Promise.race([limit ? limit(call, task.priority) : call(), timedOut]);
    } catch (error) {
      if (attempt > policy.retries || shared.stopped) throw error;
      task.attempts++;
      await pause(policy.backoffMs * 2 ** (attempt - 1), shared.signal);
    } finally {
      clearTimeout(timer);
      shared.signal.removeEventListener('abort', stopAttempt);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
