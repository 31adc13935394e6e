import type { RunTotals } from '../../../src/view-model/run-totals.js';
import { TASK_STATUSES } from '../../../src/view-model/run-totals.js';
import { formatCost, formatCount, formatMs } from '../format.js';

interface TotalsBarProps {
  totals: RunTotals;
  showCritical: boolean;
  onToggleCritical(): void;
}

/** Run totals: tasks by status, tokens, cost, wall time and the critical path. */
export function TotalsBar({ totals, showCritical, onToggleCritical }: TotalsBarProps) {
  return (
    <div className="tg-totals" data-testid="totals">
      <span className="tg-total" data-total="tasks">
        <strong>{formatCount(totals.tasks)}</strong> tasks
        {TASK_STATUSES.filter((status) => totals.byStatus[status] > 0).map((status) => (
          <span key={status} className={`tg-count status-${status}`} data-status={status}>
            <i className="tg-dot" aria-hidden="true" />
            {formatCount(totals.byStatus[status])} {status}
          </span>
        ))}
      </span>
      <span className="tg-total" data-total="tokens">
        <strong>{formatCount(totals.totalTokens)}</strong> tokens
        <span className="tg-muted">
          {' '}
          ({formatCount(totals.promptTokens)} prompt + {formatCount(totals.completionTokens)} completion)
        </span>
      </span>
      <span className="tg-total" data-total="cost">
        <strong>{formatCost(totals.costUsd)}</strong>
        {totals.unknownCostTasks > 0 ? (
          <span className="tg-muted"> + {totals.unknownCostTasks} of unknown price</span>
        ) : null}
      </span>
      <span className="tg-total" data-total="wall">
        wall <strong>{formatMs(totals.wallMs)}</strong>
      </span>
      <button
        type="button"
        className={`tg-total tg-critical-toggle${showCritical ? ' is-on' : ''}`}
        data-total="critical"
        aria-pressed={showCritical}
        title="Highlight the longest chain of dependent tasks by duration"
        onClick={onToggleCritical}
      >
        critical path <strong>{formatMs(totals.criticalPath.durationMs)}</strong> (
        {totals.criticalPath.keys.length} tasks)
      </button>
    </div>
  );
}
