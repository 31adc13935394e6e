import type { ReplayPlan } from '@taskgraph/core';
import type { ApiError } from '../../../src/api-types.js';

/** What a replay would do now, or what the edit being typed would make it do. */
export function PlanSummary({
  plan,
  preview,
  error,
}: {
  plan: ReplayPlan | undefined;
  preview: boolean;
  error?: ApiError | undefined;
}) {
  if (error) {
    return (
      <p className="tg-plan-summary tg-error" title={error.message} data-testid="plan-summary">
        No plan: {error.code}
      </p>
    );
  }
  if (!plan) return <p className="tg-plan-summary tg-muted">Planning…</p>;
  const { rerun, recreate, reuse } = plan.counts;
  return (
    <p className={`tg-plan-summary${preview ? ' is-preview' : ''}`} data-testid="plan-summary">
      {preview ? 'Plan of this edit: ' : 'Replay plan: '}
      <span className="tg-pill plan-rerun">{rerun} re-run</span>{' '}
      <span className="tg-pill plan-recreate">{recreate} recreate</span>{' '}
      <span className="tg-pill plan-reuse">{reuse} reuse</span> · {callRange(plan.llmCallRange)} LLM call
      {plan.llmCallRange.max === 1 ? '' : 's'}
    </p>
  );
}

/** "2", or "1–3" when upstream re-runs and re-created tasks decide some of the calls. */
function callRange({ min, max }: { min: number; max: number }): string {
  return min === max ? String(min) : `${min}–${max}`;
}
