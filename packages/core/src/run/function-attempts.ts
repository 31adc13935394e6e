import { TaskGraphError } from '../model/errors.js';
import type { FunctionCall } from './task-executor.js';

/**
 * Calls a function until it succeeds or its attempts run out. Each attempt gets its own signal, which
 * fires on timeout or when the run stops; an attempt past its timeout fails with TIMEOUT even if the
 * function ignores its signal. Resolves to the value and the attempts made; rejects with
 * `{ error, attempts }`.
 */
export async function callWithAttempts(
  call: FunctionCall,
  runSignal: AbortSignal,
  attempt: (signal: AbortSignal) => unknown,
): Promise<{ value: unknown; attempts: number }> {
  const policy = call.attempts;
  for (let made = 1; ; made++) {
    const controller = new AbortController();
    const stopAttempt = () => controller.abort(runSignal.reason);
    runSignal.addEventListener('abort', stopAttempt, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (policy.timeoutMs === undefined) return;
      timer = setTimeout(() => {
        const error = new TaskGraphError(
          'TIMEOUT',
          `TaskGraph.run: task "${call.taskPath.join(' > ')}" took longer than ${policy.timeoutMs} ms (attempt ${made} of ${policy.retries + 1}).`,
          { taskPath: call.taskPath },
        );
        controller.abort(error);
        reject(error);
      }, policy.timeoutMs);
    });
    try {
      const value = await Promise.race([(async () => attempt(controller.signal))(), timedOut]);
      return { value, attempts: made };
    } catch (error) {
      if (made > policy.retries || runSignal.aborted) throw { error, attempts: made };
      await pause(policy.backoffMs * 2 ** (made - 1), runSignal);
    } finally {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', stopAttempt);
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
