import type { PlannerStatus } from './planner-state.js';

/**
 * What the planner tells as it goes (the seed's `[system]` and `[ai]` lines), each with the step that
 * did it. Every step also keeps its events in its output, so a trace holds them all.
 */
export type PlannerEvent =
  | { type: 'tasks_added'; step: number; tasks: string[] }
  | { type: 'tasks_cancelled'; step: number; tasks: string[] }
  | { type: 'tasks_skipped'; step: number; tasks: string[] }
  | { type: 'task_started'; step: number; task: string; tool?: string }
  | { type: 'awaiting_confirmation'; step: number; task: string }
  | { type: 'task_declined'; step: number; task: string }
  | { type: 'task_edited'; step: number; task: string; edited: string }
  | { type: 'worker_unknown'; step: number; task: string; worker: string }
  | { type: 'info_stored'; step: number; keys: string[] }
  | { type: 'result_updated'; step: number; keys: string[] }
  | { type: 'thoughts'; step: number; text: string }
  | { type: 'reply_repair'; step: number; error: string }
  | { type: 'reply_unusable'; step: number; error: string }
  | { type: 'goal_complete'; step: number }
  | { type: 'stopped'; step: number; status: Exclude<PlannerStatus, 'running' | 'complete'> };

/** Receives planner events as steps run (a replay that reuses a step tells nothing again). */
export type PlannerEventSink = (event: PlannerEvent) => void;
