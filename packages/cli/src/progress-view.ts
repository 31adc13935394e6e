import type { RunEvent } from '@taskgraph/core';
import { createLogUpdate } from 'log-update';
import type { CliIO } from './cli-io.js';
import { formatCost, formatDuration, formatTokens, shorten } from './format-units.js';
import type { RunProgress, RunSummary } from './run-monitor.js';
import { formatAddress } from './task-address.js';

/** How progress is shown: a live display (a terminal), a line per task (a pipe or a log), or nothing. */
export type ProgressMode = 'live' | 'lines' | 'none';

export interface ProgressView {
  /** Told after every change of the run (an event, or an LLM call starting or ending). */
  update(event: RunEvent | undefined): void;
  /** Shows a line that stays (above the live display, which goes on below it). */
  note(text: string): void;
  /** Ends the display, leaving its last state on screen. */
  stop(): void;
  /** Clears the live display and stops redrawing it (while the terminal asks a question). */
  pause(): void;
  /** Redraws the live display again after `pause`. */
  resume(): void;
}

const REDRAW_MS = 80;
/** The live display also redraws this often without events, so that its elapsed time moves. */
const TICK_MS = 1_000;

/** What the live display shows: the counts, the running tasks, and the text of replies as they stream. */
export type LiveState = RunProgress & {
  runningTasks: string[];
  streaming?: Array<{ task: string; text: string }>;
};

/** Streaming replies shown at once, and the width of each one's tail. */
const TAILS_SHOWN = 3;
const TAIL_WIDTH = 72;

/** Live on a terminal, lines elsewhere, nothing with `--quiet` or `--json`. */
export function progressMode(
  context: { io: CliIO },
  flags: { quiet?: boolean; json?: boolean },
): ProgressMode {
  if (flags.quiet || flags.json) return 'none';
  return context.io.interactive ? 'live' : 'lines';
}

/** A progress view on stderr; `read` gives the current state of the run. */
export function createProgressView(io: CliIO, mode: ProgressMode, read: () => LiveState): ProgressView {
  if (mode === 'none')
    return { update() {}, note: (text) => io.err(text), stop() {}, pause() {}, resume() {} };
  if (mode === 'lines') {
    return {
      update(event) {
        const line = event && lineFor(event);
        if (line) io.err(line);
      },
      note: (text) => io.err(text),
      stop() {},
      pause() {},
      resume() {},
    };
  }
  const log = createLogUpdate(io.errStream);
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  const draw = () => {
    timer = undefined;
    if (!paused) log(liveText(read()));
  };
  const tick = setInterval(draw, TICK_MS).unref();
  return {
    update() {
      // Redraws are batched: a burst of events costs one redraw.
      timer ??= setTimeout(draw, REDRAW_MS).unref();
    },
    pause() {
      paused = true;
      log.clear();
    },
    resume() {
      paused = false;
      draw();
    },
    note(text) {
      log.persist(text);
      draw();
    },
    stop() {
      if (timer) clearTimeout(timer);
      clearInterval(tick);
      draw();
      log.done();
    },
  };
}

/** The live display's text: a line of counts, the running tasks, then the last words of each streaming reply. */
export function liveText(progress: LiveState): string {
  const lines = [countsText(progress)];
  for (const { task, text } of (progress.streaming ?? []).slice(-TAILS_SHOWN)) {
    lines.push(`  ${shorten(task, 24)} ▸ ${tail(text, TAIL_WIDTH)}`);
  }
  return lines.join('\n');
}

/** The end of `text` on one line, at most `width` characters, with an ellipsis in front when cut. */
function tail(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `…${flat.slice(flat.length - width + 1)}`;
}

function countsText(progress: LiveState): string {
  const parts = [
    formatDuration(progress.elapsedMs),
    `tasks ${progress.done}/${progress.total} done`,
    `${progress.running} running`,
    ...(progress.failed > 0 ? [`${progress.failed} failed`] : []),
    `LLM ${progress.llmInFlight} in flight (${progress.llmCalls} calls)`,
    `${formatTokens(progress.tokens)} tokens`,
    costText(progress.costUsd, progress.unknownCostCalls),
  ];
  const running = progress.runningTasks.slice(0, 4).join(', ');
  const more = progress.runningTasks.length > 4 ? ` +${progress.runningTasks.length - 4}` : '';
  return running ? `${parts.join(' · ')}\n  running: ${shorten(running, 100)}${more}` : parts.join(' · ');
}

function costText(costUsd: number, unknownCostCalls: number): string {
  return unknownCostCalls > 0 ? `${formatCost(costUsd)} + ${unknownCostCalls} unpriced` : formatCost(costUsd);
}

function lineFor(event: RunEvent): string | undefined {
  if (event.type === 'run:start' || event.type === 'run:end' || event.type === 'task:reused')
    return undefined;
  const address = formatAddress(event.taskPath);
  switch (event.type) {
    case 'task:added':
      return `added     ${address} (by ${event.createdBy})`;
    case 'task:start':
      return `start     ${address}`;
    case 'task:done':
      return `done      ${address} (${formatDuration(event.durationMs)})`;
    case 'task:failed':
      return `failed    ${address}: ${shorten(event.error.message, 200)}`;
    case 'task:skipped':
      return `skipped   ${address} (dependency "${event.failedDependency}" failed)`;
    case 'task:cancelled':
      return `cancelled ${address}`;
    case 'task:dropped':
      return `dropped   ${address} (its creator no longer creates it)`;
    case 'llm:usage':
      return `llm       ${address}: ${formatTokens(event.usage?.totalTokens)} tokens, ${formatCost(event.costUsd)}${event.model ? ` (${event.model})` : ''}`;
  }
}

/** One line on what a run did: `6 tasks: 4 ran, 2 reused · 4 LLM calls · 1,234 tokens · $0.0012 · 1.2 s`. */
export function summaryLine(summary: RunSummary): string {
  const { tasks } = summary;
  const counts = [
    `${tasks.ran} ran`,
    `${tasks.reused} reused`,
    ...(['failed', 'skipped', 'cancelled', 'dropped'] as const)
      .filter((key) => tasks[key] > 0)
      .map((key) => `${tasks[key]} ${key}`),
  ];
  return [
    `${tasks.total} tasks: ${counts.join(', ')}`,
    `${summary.llmCalls.length} LLM call${summary.llmCalls.length === 1 ? '' : 's'}`,
    `${formatTokens(summary.tokens)} tokens`,
    costText(summary.costUsd, summary.unknownCostCalls),
    formatDuration(summary.elapsedMs),
  ].join(' · ');
}
