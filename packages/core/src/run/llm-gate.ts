import { CancelledError, TaskGraphError } from '../model/errors.js';
import type { LLMResult } from '../model/llm-handler.js';
import type { Stage } from '../model/task.js';
import type { StageWork } from '../model/task-kind.js';
import type { GraphRun } from './graph-run.js';
import type { RunNode } from './run-node.js';

export type LLMCallSource = 'handler' | 'cache';

/**
 * One LLM call of a task, through everything that guards it, in order: the response cache, the
 * replay-only switch, the budget (checked before the call starts), the per-model and per-handler limits
 * and the global one, then the executor, then the budget again once the call returns.
 */
export async function callLLM(
  run: GraphRun,
  node: RunNode,
  stage: Stage,
  work: Extract<StageWork, { type: 'llm' }>,
): Promise<{ result: LLMResult; source: LLMCallSource }> {
  const { shared } = run;
  const { task } = node;
  const taskPath = run.taskPath(task);
  const { handler, request, cacheKey } = work;
  const cache = shared.options.responseCache;
  const cached = cache ? await cache.get(cacheKey) : undefined;
  if (cached) return { result: checkResult(cached, handler, taskPath), source: 'cache' };
  if (shared.options.replayOnly) {
    throw new TaskGraphError(
      'REPLAY_MISS',
      `TaskGraph.run: task "${taskPath.join(' > ')}" needs an LLM call, and the run is replay-only. Its stored response is missing or no longer matches its prompt and params.`,
      { taskPath },
    );
  }
  const described = shared.registry.handler(handler, taskPath).description;
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
    shared.emit?.({ type: 'llm:start', taskPath: [...taskPath], handler, model });
    const outcome = await shared.executor.execute(
      { type: 'llm', taskPath, kind: task.kind, stage, handler, request, fingerprint: cacheKey },
      shared.executeEnv,
    );
    if (!outcome.ok) throw outcome.error;
    const answer = checkResult(outcome.value as LLMResult, handler, taskPath);
    shared.recordCall(handler, described, answer);
    shared.emit?.({
      type: 'llm:usage',
      taskPath,
      handler,
      model: answer.model,
      usage: answer.usage,
      costUsd: answer.costUsd,
    });
    const spent = shared.budget.check(shared.usage, answer.costUsd, taskPath);
    if (spent) shared.stop(spent, false);
    return answer;
  };
  const result = await shared.limitLLM(handler, model, node.priority, call);
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
