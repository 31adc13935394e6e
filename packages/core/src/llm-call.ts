import { CancelledError, TaskGraphError } from './errors.js';
import type { GraphRun } from './graph-run.js';
import type { LLMRequest, LLMResult } from './llm-handler.js';
import type { LLMTask } from './task.js';

export type LLMCallSource = 'handler' | 'cache';

/**
 * One LLM call of a task, through everything that guards it, in order: the response cache, the
 * replay-only switch, the budget (checked before the call starts), the per-model and per-handler limits
 * and the global one, then the budget again once the call returns.
 */
export async function callLLM(
  run: GraphRun,
  task: LLMTask,
  request: LLMRequest,
  cacheKey: string,
): Promise<{ result: LLMResult; source: LLMCallSource }> {
  const { shared } = run;
  const taskPath = run.taskPath(task);
  const cache = shared.options.responseCache;
  const cached = cache ? await cache.get(cacheKey) : undefined;
  if (cached) return { result: checkResult(cached, task.handler, taskPath), source: 'cache' };
  if (shared.options.replayOnly) {
    throw new TaskGraphError(
      'REPLAY_MISS',
      `TaskGraph.run: task "${taskPath.join(' > ')}" needs an LLM call, and the run is replay-only. Its stored response is missing or no longer matches its prompt and params.`,
      { taskPath },
    );
  }
  const handler = shared.registry.handler(task.handler, taskPath);
  const model = typeof request.params.model === 'string' ? request.params.model : undefined;
  // Everything between the budget check and the usage count happens while the call holds its slot, so
  // the next call waiting for the slot sees the usage of this one.
  const call = async () => {
    if (shared.stopReason) {
      throw new CancelledError(
        `TaskGraph.run: the LLM call of task "${taskPath.join(' > ')}" was not started: the run is stopping.`,
        shared.stopReason,
      );
    }
    shared.budget.reserve(shared.usage, taskPath);
    shared.emit?.({ type: 'llm:start', taskPath: [...taskPath], handler: task.handler, model });
    const answer = checkResult(
      await handler.call(request, { signal: shared.signal, taskPath }),
      task.handler,
      taskPath,
    );
    shared.recordCall(handler, answer);
    const spent = shared.budget.check(shared.usage, answer.costUsd, taskPath);
    if (spent) shared.stop(spent, false);
    return answer;
  };
  const result = await shared.limitLLM(task.handler, model, task.priority, call);
  if (cache) await cache.set(cacheKey, result);
  return { result, source: 'handler' };
}

function checkResult(result: LLMResult, handler: string, taskPath: readonly string[]): LLMResult {
  const message = result?.message;
  const validContent = typeof message?.content === 'string' || message?.content === null;
  if (message?.role !== 'assistant' || !validContent) {
    throw new TaskGraphError(
      'LLM_CALL_FAILED',
      `TaskGraph.run: LLM handler "${handler}" returned no assistant message for task "${taskPath.join(' > ')}". A handler must resolve to { message: { role: "assistant", content } }.`,
      { taskPath },
    );
  }
  return result;
}
