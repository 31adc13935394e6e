export type {
  ApiError,
  ApiErrorCode,
  DiffResponse,
  EditRequest,
  EditResponse,
  PlanResponse,
  ReplayResponse,
  ReplayUpdate,
  TraceResponse,
} from './api-types.js';
export type { Viewer, ViewerOptions } from './server/start-viewer.js';
export { startViewer } from './server/start-viewer.js';
export type { CriticalPath } from './view-model/critical-path.js';
export { criticalPath } from './view-model/critical-path.js';
export type { RunTotals } from './view-model/run-totals.js';
export { runTotals, TASK_STATUSES } from './view-model/run-totals.js';
export type { TaskEntry, TaskIndex } from './view-model/task-index.js';
export { indexTrace, pathKey } from './view-model/task-index.js';
