import type { ReplayPlan, TraceDocument } from '@taskgraph/core';
import { formatCost, formatMs } from '../format.js';
import { JsonTree } from './json-tree.js';
import type { EditCallbacks } from './value-section.js';
import { ValueSection } from './value-section.js';

interface RunDetailProps extends EditCallbacks {
  trace: TraceDocument;
  plan: ReplayPlan | undefined;
  onSelect(key: string): void;
}

/** The run as a whole, shown when no task is selected: its record, the graph input, the replay plan. */
export function RunDetail({ trace, plan, onSelect, ...edit }: RunDetailProps) {
  const run = trace.run;
  const changing = plan?.tasks.filter((task) => task.action !== 'reuse') ?? [];
  return (
    <div className="tg-detail" data-testid="run-detail">
      <header className="tg-detail-header">
        <h2>Run</h2>
        <p className="tg-muted">Select a task on the graph to see and edit its values.</p>
      </header>
      <dl className="tg-facts">
        <dt>Status</dt>
        <dd>{run?.status ?? 'never run'}</dd>
        <dt>Started</dt>
        <dd>{run?.startedAt ?? '–'}</dd>
        <dt>Wall time</dt>
        <dd>{formatMs(run?.durationMs)}</dd>
        <dt>LLM calls</dt>
        <dd>{run?.usage ? `${run.usage.llmCalls} (${formatCost(run.usage.costUsd)})` : '0'}</dd>
        <dt>Output task</dt>
        <dd>{trace.graph.outputTask ?? '–'}</dd>
      </dl>
      {run?.handlers ? (
        <section className="tg-value">
          <header>
            <h3>LLM handlers</h3>
          </header>
          <JsonTree value={run.handlers} />
        </section>
      ) : null}
      {run?.error ? (
        <section className="tg-value tg-error-box">
          <header>
            <h3>Run error</h3>
          </header>
          <p>
            <strong>{run.error.name}</strong>: {run.error.message}
          </p>
        </section>
      ) : null}
      <ValueSection
        title="Graph input"
        field="input"
        present={trace.graph.input !== undefined}
        value={trace.graph.input}
        {...edit}
      />
      <section className="tg-value" data-testid="plan-list">
        <header>
          <h3>Replay plan</h3>
        </header>
        {changing.length === 0 ? (
          <p className="tg-muted">A replay now reuses every task: nothing runs, no LLM call.</p>
        ) : (
          <ul className="tg-plan-list">
            {changing.map((task) => {
              const key = task.taskPath.join(' > ');
              return (
                <li key={key}>
                  <button type="button" className="tg-link" onClick={() => onSelect(key)}>
                    {key}
                  </button>{' '}
                  <span className={`tg-pill plan-${task.action}`}>{task.action}</span>{' '}
                  <span className="tg-muted">{task.reason}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
