import type { LoopLimits, LoopUsage } from './loop-state.js';
import type { LoopStatus } from './loop-status.js';

/** Adds the usage of a call (or of a whole sub-loop run) to a loop's total. */
export function addUsage(total: LoopUsage, delta: LoopUsage): void {
  total.llmCalls += delta.llmCalls;
  total.promptTokens += delta.promptTokens;
  total.completionTokens += delta.completionTokens;
  total.totalTokens += delta.totalTokens;
  total.costUsd += delta.costUsd;
  total.unknownCostCalls += delta.unknownCostCalls;
}

/**
 * The limit a loop has used up, checked before an LLM call or a sub-loop starts: no call starts
 * once the spend has reached a limit. Cost is checked before tokens.
 */
export function spentLimit(limits: LoopLimits, usage: LoopUsage): LoopStatus | null {
  if (limits.maxCostUsd !== null && usage.costUsd >= limits.maxCostUsd) return 'MAX_COST';
  if (limits.maxTokens !== null && usage.totalTokens >= limits.maxTokens) return 'MAX_TOKENS';
  return null;
}

/** The limit a loop has gone past, checked after every LLM call (so it overshoots by at most one call). */
export function exceededLimit(limits: LoopLimits, usage: LoopUsage): 'MAX_COST' | 'MAX_TOKENS' | null {
  if (limits.maxCostUsd !== null && usage.costUsd > limits.maxCostUsd) return 'MAX_COST';
  if (limits.maxTokens !== null && usage.totalTokens > limits.maxTokens) return 'MAX_TOKENS';
  return null;
}

/** What a sub-loop may still spend: the caller's limit less what the caller has used. */
export function remaining(limit: number | null, used: number): number | null {
  return limit === null ? null : Math.max(0, limit - used);
}

/** The smaller of two limits, null meaning "none". */
export function tighter(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
