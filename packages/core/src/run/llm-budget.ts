import { TaskGraphError } from '../model/errors.js';
import type { RunUsage } from '../model/run-info.js';

export interface LLMBudget {
  /** Most tokens (prompt + completion) the run may use. */
  maxTokens?: number;
  /** Most USD the run may spend on LLM calls. */
  maxCostUsd?: number;
  /** Most LLM calls the run may make (repairs included). */
  maxCalls?: number;
  /**
   * What a call whose model has no price does under `maxCostUsd`: "fail" (default) ends the run, since
   * its cost cannot be counted; "ignore" counts it as unknown (reported in the trace) and goes on.
   */
  onUnknownCost?: 'fail' | 'ignore';
}

/** A budget of the run was spent: no further LLM call is started. */
export class BudgetExceededError extends TaskGraphError {
  override readonly name = 'BudgetExceededError';
  readonly limit: 'maxTokens' | 'maxCostUsd' | 'maxCalls' | 'unknownCost';
  constructor({
    limit,
    message,
    taskPath,
  }: { limit: BudgetExceededError['limit']; message: string; taskPath: readonly string[] }) {
    super('BUDGET_EXCEEDED', message, { taskPath });
    this.limit = limit;
  }
}

/**
 * The LLM budget of one run, shared by its nested graphs. Calls are reserved before they start, so
 * concurrent calls never pass `maxCalls`; tokens and cost are known only once a call returns, so they
 * can overshoot by the calls already in flight, never by a call started after the budget was spent.
 */
export class BudgetGuard {
  readonly #budget: LLMBudget;
  #reserved = 0;

  constructor(budget: LLMBudget = {}) {
    for (const key of ['maxTokens', 'maxCostUsd', 'maxCalls'] as const) {
      const value = budget[key];
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
        throw new TaskGraphError(
          'INVALID_ARGUMENT',
          `TaskGraph.run: \`budget.${key}\` must be a number from 0 up (got ${String(value)}).`,
        );
      }
    }
    this.#budget = budget;
  }

  /** Throws BUDGET_EXCEEDED when no call may start; otherwise reserves one. */
  reserve(usage: RunUsage, taskPath: readonly string[]): void {
    const { maxCalls, maxTokens, maxCostUsd } = this.#budget;
    const where = `task "${taskPath.join(' > ')}"`;
    if (maxCalls !== undefined && this.#reserved >= maxCalls) {
      throw new BudgetExceededError({
        limit: 'maxCalls',
        message: `TaskGraph.run: the run has made its ${maxCalls} LLM calls (budget.maxCalls); ${where} would make one more.`,
        taskPath,
      });
    }
    if (maxTokens !== undefined && usage.totalTokens >= maxTokens) {
      throw new BudgetExceededError({
        limit: 'maxTokens',
        message: `TaskGraph.run: the run has used ${usage.totalTokens} of its ${maxTokens} tokens (budget.maxTokens); ${where} was not started.`,
        taskPath,
      });
    }
    if (maxCostUsd !== undefined && usage.costUsd >= maxCostUsd) {
      throw new BudgetExceededError({
        limit: 'maxCostUsd',
        message: `TaskGraph.run: the run has spent $${usage.costUsd.toFixed(4)} of its $${maxCostUsd} (budget.maxCostUsd); ${where} was not started.`,
        taskPath,
      });
    }
    this.#reserved++;
  }

  /** After a call: the error that ends the run when this call spent the budget (or its cost is unknown). */
  check(
    usage: RunUsage,
    costUsd: number | null | undefined,
    taskPath: readonly string[],
  ): BudgetExceededError | undefined {
    const { maxTokens, maxCostUsd } = this.#budget;
    if (
      maxCostUsd !== undefined &&
      typeof costUsd !== 'number' &&
      (this.#budget.onUnknownCost ?? 'fail') === 'fail'
    ) {
      return new BudgetExceededError({
        limit: 'unknownCost',
        message: `TaskGraph.run: the cost of the LLM call of task "${taskPath.join(' > ')}" is unknown (no price for its model), so budget.maxCostUsd cannot be kept. Give the handler a price for the model, or set budget.onUnknownCost to "ignore".`,
        taskPath,
      });
    }
    if (maxTokens !== undefined && usage.totalTokens > maxTokens) {
      return new BudgetExceededError({
        limit: 'maxTokens',
        message: `TaskGraph.run: the run used ${usage.totalTokens} tokens, past its ${maxTokens} (budget.maxTokens), with the call of task "${taskPath.join(' > ')}".`,
        taskPath,
      });
    }
    if (maxCostUsd !== undefined && usage.costUsd > maxCostUsd) {
      return new BudgetExceededError({
        limit: 'maxCostUsd',
        message: `TaskGraph.run: the run spent $${usage.costUsd.toFixed(4)}, past its $${maxCostUsd} (budget.maxCostUsd), with the call of task "${taskPath.join(' > ')}".`,
        taskPath,
      });
    }
    return undefined;
  }
}
