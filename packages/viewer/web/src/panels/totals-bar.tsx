import { useEffect, useState } from 'react';
import type { RunTotals } from '../../../src/view-model/run-totals.js';
import { TASK_STATUSES } from '../../../src/view-model/run-totals.js';
import { formatCost, formatCount, formatMs } from '../format.js';
import type { LiveRun } from '../live-run.js';
import { STATUS_ICON } from '../status-icon.js';

interface TotalsBarProps {
  totals: RunTotals;
  live: LiveRun;
  showCritical: boolean;
  onToggleCritical(): void;
}

/**
 * Run totals: tasks by status, tokens, cost, wall time and the critical path. During a replay they move
 * with it: statuses as tasks settle, tokens and cost as calls return, and the time since it started.
 */
export function TotalsBar({ totals, live, showCritical, onToggleCritical }: TotalsBarProps) {
  return (
    <div className="tg-totals" data-testid="totals">
      <span className="tg-total" data-total="tasks">
        <strong>{formatCount(totals.tasks)}</strong> tasks
        {TASK_STATUSES.filter((status) => totals.byStatus[status] > 0).map((status) => (
          <span key={status} className={`tg-count status-${status}`} data-status={status}>
            <i className="tg-dot" aria-hidden="true" />
            <span aria-hidden="true">{STATUS_ICON[status]}</span> {formatCount(totals.byStatus[status])}{' '}
            {status}
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
      {live.running ? (
        <ReplayClock live={live} />
      ) : (
        <span className="tg-total" data-total="wall">
          wall <strong>{formatMs(totals.wallMs)}</strong>
        </span>
      )}
      <button
        type="button"
        className={`tg-total tg-critical-toggle${showCritical ? ' is-on' : ''}`}
        data-total="critical"
        aria-pressed={showCritical}
        title="Highlight the longest chain of dependent tasks by duration"
        onClick={onToggleCritical}
      >
        critical path <strong>{formatMs(totals.criticalPath.durationMs)}</strong> (
        {totals.criticalPath.keys.length} task{totals.criticalPath.keys.length === 1 ? '' : 's'})
      </button>
    </div>
  );
}

const TICK_MS = 250;

/** The replay in progress: time since it started (ticking) and the LLM calls made so far. */
function ReplayClock({ live }: { live: LiveRun }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const elapsed = live.startedAt === undefined ? undefined : Math.max(0, now - live.startedAt);
  return (
    <span className="tg-total tg-live-total" data-total="replay">
      replaying <strong>{formatMs(elapsed)}</strong> · {live.usage.calls} LLM call
      {live.usage.calls === 1 ? '' : 's'} so far
    </span>
  );
}
