import type {
  EditField,
  ErrorCode,
  ReplayPlan,
  RunEvent,
  RunStatus,
  TraceDiff,
  TraceDocument,
} from '@taskgraph/core';

/**
 * The JSON API between the viewer's server and its page. Every route answers JSON; a refusal answers
 * `{ error: ApiError }` with a 4xx status and changes nothing.
 */

/**
 * Why a request was refused: a core error code (INVALID_TRACE, OUTPUT_INVALID, INVALID_ARGUMENT,
 * RUN_IN_PROGRESS, UNKNOWN_FUNCTION…), or one of the server's own: NOT_FOUND (no such route or file),
 * FORBIDDEN (a request from another site or host), NO_REGISTRY (replay needs a registry),
 * NO_PREVIOUS_RUN (nothing to diff against yet), INTERNAL (an unexpected failure).
 */
export type ApiErrorCode =
  | ErrorCode
  | (string & {})
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'NO_REGISTRY'
  | 'NO_PREVIOUS_RUN'
  | 'INTERNAL';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** For INVALID_TRACE: the JSON path of the first problem (`$.graph.tasks[2].status`). */
  path?: string;
  /** The task the error is about, from the root graph. */
  taskPath?: string[];
}

/** GET /api/trace */
export interface TraceResponse {
  /** The trace file as the server was given it. */
  tracePath: string;
  trace: TraceDocument;
  /** A registry was given, so the page may replay. */
  canReplay: boolean;
  /** A replay is in progress. */
  running: boolean;
  /** A replay finished in this session: GET /api/diff compares the trace before it with the file now. */
  hasPrevious: boolean;
}

/** GET /api/plan */
export interface PlanResponse {
  plan: ReplayPlan;
}

/** POST /api/edit: a core `TraceEdit` with the task as a path, and `dryRun` to plan without writing. */
export interface EditRequest {
  /** The task, from the root graph; absent to edit the graph input. */
  task?: string[];
  field: EditField;
  value: unknown;
  /** Plan the edit without writing the file. */
  dryRun?: boolean;
}

export interface EditResponse {
  plan: ReplayPlan;
  /** Whether the trace file was written (false for a dry run). */
  saved: boolean;
  /** The trace as written. */
  trace?: TraceDocument;
}

/** POST /api/replay and POST /api/stop */
export interface ReplayResponse {
  running: boolean;
}

/** GET /api/diff */
export interface DiffResponse {
  diff: TraceDiff;
}

/**
 * What GET /api/events streams (server-sent events named `update`): first a snapshot of the replay in
 * progress, if any, then each run event as it happens, then the end of the replay.
 */
export type ReplayUpdate =
  | { type: 'snapshot'; running: boolean; events: RunEvent[] }
  | { type: 'event'; event: RunEvent }
  | { type: 'replay:end'; status: RunStatus; error?: ApiError };
