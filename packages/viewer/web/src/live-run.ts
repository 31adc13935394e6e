import type { RunEvent, RunStatus, TaskKind } from '@taskgraph/core';
import type { ApiError, ReplayUpdate } from '../../src/api-types.js';
import { pathKey } from '../../src/view-model/task-index.js';
import { formatMs } from './format.js';

/** What a task did in the replay in progress: it ran (done), was reused, failed… */
export type LiveStatus =
  | 'running'
  | 'done'
  | 'reused'
  | 'failed'
  | 'cancelled'
  | 'skipped'
  | 'dropped'
  | 'waiting';

export interface LiveTask {
  status: LiveStatus;
  durationMs?: number;
  /** The reply of a streaming LLM call as it arrives (its text so far). */
  text?: string;
}

/** A task created while the replay runs, not yet in the trace the page holds. */
export interface AddedTask {
  key: string;
  path: string[];
  kind: TaskKind;
  creator: string;
}

export interface LogLine {
  n: number;
  key: string;
  status: LiveStatus | 'run';
  text: string;
}

/** The replay as the page sees it through the server's event stream. */
export interface LiveRun {
  running: boolean;
  tasks: Map<string, LiveTask>;
  added: Map<string, AddedTask>;
  log: LogLine[];
  /** Tokens and cost of the LLM calls the replay has made so far. */
  usage: LiveUsage;
  /** When the replay started (epoch ms, the server's clock). */
  startedAt?: number;
  ended?: { status: RunStatus; error?: ApiError };
}

export interface LiveUsage {
  calls: number;
  /** Keys of the tasks that made those calls. */
  callers: Set<string>;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
}

function noUsage(): LiveUsage {
  return { calls: 0, callers: new Set(), promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 };
}

const MAX_LOG = 400;

export const IDLE: LiveRun = {
  running: false,
  tasks: new Map(),
  added: new Map(),
  log: [],
  usage: noUsage(),
};

/** The live state after a batch of updates from GET /api/events. */
export function applyUpdates(run: LiveRun, updates: readonly ReplayUpdate[]): LiveRun {
  let next: LiveRun = {
    ...run,
    tasks: new Map(run.tasks),
    added: new Map(run.added),
    log: [...run.log],
    usage: { ...run.usage, callers: new Set(run.usage.callers) },
  };
  for (const update of updates) {
    if (update.type === 'snapshot') {
      next = { running: update.running, tasks: new Map(), added: new Map(), log: [], usage: noUsage() };
      for (const event of update.events) applyEvent(next, event);
    } else if (update.type === 'event') {
      applyEvent(next, update.event);
    } else {
      next.running = false;
      next.ended = { status: update.status, ...(update.error ? { error: update.error } : {}) };
      log(next, '', 'run', `replay ${update.status}${update.error ? `: ${update.error.message}` : ''}`);
    }
  }
  if (next.log.length > MAX_LOG) next.log = next.log.slice(-MAX_LOG);
  return next;
}

function applyEvent(run: LiveRun, event: RunEvent): void {
  if (event.type === 'run:start') {
    run.running = true;
    run.tasks = new Map();
    run.added = new Map();
    run.usage = noUsage();
    run.startedAt = event.at;
    delete run.ended;
    log(run, '', 'run', `replay started (${event.tasks} tasks)`);
    return;
  }
  if (event.type === 'llm:usage') {
    const usage = event.usage;
    run.usage = {
      calls: run.usage.calls + 1,
      callers: run.usage.callers.add(pathKey(event.taskPath)),
      promptTokens: run.usage.promptTokens + (usage?.promptTokens ?? 0),
      completionTokens: run.usage.completionTokens + (usage?.completionTokens ?? 0),
      totalTokens: run.usage.totalTokens + (usage?.totalTokens ?? 0),
      costUsd: run.usage.costUsd + (event.costUsd ?? 0),
    };
    return;
  }
  if (event.type === 'run:end') return;
  if (event.type === 'llm:delta') {
    const key = pathKey(event.taskPath);
    const task = run.tasks.get(key) ?? { status: 'running' };
    run.tasks.set(key, { ...task, text: `${task.text ?? ''}${event.text}` });
    return;
  }
  const key = pathKey(event.taskPath);
  switch (event.type) {
    case 'task:added':
      run.added.set(key, {
        key,
        path: event.taskPath,
        kind: event.kind,
        creator: pathKey([...event.taskPath.slice(0, -1), event.createdBy]),
      });
      log(run, key, 'running', `${key} added by ${event.createdBy}`);
      return;
    case 'task:start':
      run.tasks.set(key, { status: 'running' });
      log(run, key, 'running', `${key} started`);
      return;
    case 'task:done':
      run.tasks.set(key, { status: 'done', durationMs: event.durationMs });
      log(run, key, 'done', `${key} done in ${formatMs(event.durationMs)}`);
      return;
    case 'task:reused':
      run.tasks.set(key, { status: 'reused' });
      log(run, key, 'reused', `${key} reused`);
      return;
    case 'task:failed':
      run.tasks.set(key, { status: 'failed' });
      log(run, key, 'failed', `${key} failed: ${event.error.message}`);
      return;
    case 'task:cancelled':
      run.tasks.set(key, { status: 'cancelled' });
      log(run, key, 'cancelled', `${key} cancelled`);
      return;
    case 'task:skipped':
      run.tasks.set(key, { status: 'skipped' });
      log(run, key, 'skipped', `${key} skipped (${event.failedDependency} failed)`);
      return;
    case 'task:waiting':
      run.tasks.set(key, { status: 'waiting' });
      log(run, key, 'waiting', `${key} waits for an answer`);
      return;
    case 'task:dropped':
      run.tasks.set(key, { status: 'dropped' });
      log(run, key, 'dropped', `${key} dropped`);
      return;
  }
}

function log(run: LiveRun, key: string, status: LogLine['status'], text: string): void {
  const last = run.log[run.log.length - 1];
  run.log.push({ n: (last?.n ?? 0) + 1, key, status, text });
}
