import { useEffect, useMemo, useRef, useState } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { formatCount, formatMs } from '../format.js';
import type { TimelineBar } from '../model/timeline.js';
import { timeline } from '../model/timeline.js';
import { STATUS_ICON } from '../status-icon.js';

const ROW_HEIGHT = 24;
/** Rows drawn beyond the visible ones, above and below, so that scrolling shows no gap. */
const OVERSCAN = 10;

interface TimelineViewProps {
  index: TaskIndex;
  critical: ReadonlySet<string>;
  selected: string | undefined;
  /** Keys that the filters leave out (drawn faint), if any filter is set. */
  dimmed: ReadonlySet<string> | undefined;
  onSelect(key: string): void;
}

/**
 * The run as a waterfall: a row per task on the wall clock, in start order. LLM calls (waiting on the
 * model) and function work are drawn apart, the critical path is marked, retried tasks say how many
 * attempts they took, and a strip above shows how many tasks ran at once.
 */
export function TimelineView({ index, critical, selected, dimmed, onSelect }: TimelineViewProps) {
  const data = useMemo(() => timeline(index, critical), [index, critical]);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const body = useRef<HTMLDivElement>(null);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(data.bars.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const span = Math.max(data.spanMs, 0.001);
  // The rows drawn follow the body's height as the window resizes.
  useEffect(() => {
    const element = body.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // A task selected elsewhere (graph, keyboard, search) scrolls into view.
  useEffect(() => {
    const element = body.current;
    const row = selected === undefined ? -1 : data.bars.findIndex((bar) => bar.key === selected);
    if (!element || row < 0) return;
    const top = row * ROW_HEIGHT;
    if (top < element.scrollTop || top + ROW_HEIGHT > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 2);
    }
  }, [selected, data]);
  const percent = (ms: number) => `${(ms / span) * 100}%`;
  return (
    <div className="tg-timeline" data-testid="timeline">
      <div className="tg-timeline-summary">
        <span>
          <strong>{formatCount(data.bars.length)}</strong> tasks over <strong>{formatMs(data.spanMs)}</strong>
        </span>
        <span>
          at most <strong data-testid="peak-concurrency">{data.peakConcurrency}</strong> at once
        </span>
        <span className="tg-legend-llm">
          <i /> LLM calls {formatMs(data.llmMs)}
        </span>
        <span className="tg-legend-function">
          <i /> functions {formatMs(data.functionMs)}
        </span>
        <span className="tg-legend-critical">
          <i /> critical path
        </span>
        {data.notStarted > 0 ? <span className="tg-muted">{data.notStarted} never started</span> : null}
      </div>
      <div className="tg-timeline-head">
        <div className="tg-timeline-label tg-muted">task</div>
        <div className="tg-timeline-track">
          <ConcurrencyStrip points={data.concurrency} span={span} peak={data.peakConcurrency} />
          <Ticks span={span} />
        </div>
      </div>
      <div
        className="tg-timeline-body"
        ref={body}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <div style={{ height: data.bars.length * ROW_HEIGHT, position: 'relative' }}>
          {data.bars.slice(first, last).map((bar, i) => (
            <Row
              key={bar.key}
              bar={bar}
              top={(first + i) * ROW_HEIGHT}
              left={percent(bar.startMs)}
              width={percent(bar.durationMs)}
              end={percent(bar.startMs + bar.durationMs)}
              selected={bar.key === selected}
              dim={dimmed?.has(bar.key) ?? false}
              onSelect={onSelect}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  bar: TimelineBar;
  top: number;
  left: string;
  width: string;
  end: string;
  selected: boolean;
  dim: boolean;
  onSelect(key: string): void;
}

function Row({ bar, top, left, width, end, selected, dim, onSelect }: RowProps) {
  const classes = ['tg-timeline-row', `kind-${bar.kind}`, `status-${bar.status}`];
  if (bar.critical) classes.push('is-critical');
  if (selected) classes.push('is-selected');
  if (dim) classes.push('is-dim');
  const title = `${bar.key}: ${bar.kind}, ${bar.status}, ${formatMs(bar.durationMs)} from ${formatMs(bar.startMs)}${
    bar.attempts > 1 ? `, ${bar.attempts} attempts` : ''
  }${bar.critical ? ', on the critical path' : ''}`;
  return (
    <button
      type="button"
      className={classes.join(' ')}
      style={{ top, height: ROW_HEIGHT }}
      data-task={bar.key}
      title={title}
      aria-pressed={selected}
      onClick={() => onSelect(bar.key)}
    >
      <span className="tg-timeline-label" style={{ paddingLeft: 6 + bar.depth * 12 }}>
        <span className="tg-status-icon" aria-hidden="true">
          {STATUS_ICON[bar.status]}
        </span>{' '}
        {bar.id} <span className="tg-sr-only">{bar.status}</span>
      </span>
      <span className="tg-timeline-track">
        <span className="tg-timeline-bar" style={{ left, width }} />
        <span className="tg-timeline-note" style={{ left: end }}>
          {formatMs(bar.durationMs)}
          {bar.attempts > 1 ? <span className="tg-retries"> ↻ {bar.attempts} attempts</span> : null}
          {bar.critical ? <span className="tg-critical-mark"> ◆ critical</span> : null}
        </span>
      </span>
    </button>
  );
}

function ConcurrencyStrip({
  points,
  span,
  peak,
}: {
  points: Array<[number, number]>;
  span: number;
  peak: number;
}) {
  if (points.length === 0 || peak === 0) return <svg className="tg-concurrency" aria-hidden="true" />;
  let path = 'M0,1';
  for (const [at, running] of points) {
    const x = (at / span).toFixed(5);
    path += `H${x}V${(1 - running / peak).toFixed(4)}`;
  }
  path += 'H1V1Z';
  return (
    <svg
      className="tg-concurrency"
      viewBox="0 0 1 1"
      preserveAspectRatio="none"
      aria-label="tasks running at once"
    >
      <path d={path} />
    </svg>
  );
}

function Ticks({ span }: { span: number }) {
  const step = niceStep(span / 6);
  const ticks: number[] = [];
  for (let at = 0; at <= span; at += step) ticks.push(at);
  return (
    <div className="tg-ticks">
      {ticks.map((at) => (
        <span key={at} style={{ left: `${(at / span) * 100}%` }}>
          {at === 0 ? '0' : formatMs(at)}
        </span>
      ))}
    </div>
  );
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10) * power;
}
