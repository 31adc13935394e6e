import { isCoreErrorCode, TaskGraphError } from './errors.js';

/** An error as plain data, the form in which errors cross the trace boundary. */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** The task path the error names, for errors raised by the engine. */
  taskPath?: string[];
  /** Other fields of the error with plain values (an HTTP status, how many attempts a call took…). */
  data?: Record<string, string | number | boolean | null>;
  cause?: ErrorData;
}

const OWN_FIELDS = new Set(['name', 'message', 'code', 'stack', 'taskPath', 'cause', 'trace']);

const MAX_CAUSE_DEPTH = 8;
/** Longer texts in `data` (a whole reply kept by a parse error…) are cut: the trace holds them elsewhere. */
const MAX_DATA_TEXT = 2_000;

/** Turns anything thrown into ErrorData, following `cause` a bounded number of levels. */
export function serializeError(error: unknown, depth = 0): ErrorData {
  // An error that crossed a process already is data (an executor's outcome may carry it so).
  if (isErrorData(error)) return error;
  if (!(error instanceof Error)) {
    return { name: 'NonError', message: typeof error === 'string' ? error : safeString(error) };
  }
  const data: ErrorData = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') data.code = code;
  if (error.stack) data.stack = error.stack;
  if (error instanceof TaskGraphError && error.taskPath) data.taskPath = [...error.taskPath];
  const extra: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error)) {
    if (OWN_FIELDS.has(key)) continue;
    if (typeof value === 'string')
      extra[key] = value.length > MAX_DATA_TEXT ? `${value.slice(0, MAX_DATA_TEXT)}…` : value;
    else if (value === null || typeof value === 'number' || typeof value === 'boolean') extra[key] = value;
  }
  if (Object.keys(extra).length > 0) data.data = extra;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH)
    data.cause = serializeError(error.cause, depth + 1);
  return data;
}

/**
 * Rebuilds an Error from ErrorData: core's codes come back as a TaskGraphError; any other error keeps its
 * `code` (another package's, or a system one such as ENOENT) as a plain Error with that field.
 */
export function deserializeError(data: ErrorData): Error {
  const cause = data.cause ? deserializeError(data.cause) : undefined;
  const error = isCoreErrorCode(data.code)
    ? new TaskGraphError(data.code, data.message, {
        cause,
        ...(data.taskPath ? { taskPath: data.taskPath } : {}),
      })
    : new Error(data.message, cause === undefined ? undefined : { cause });
  Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  if (data.stack) error.stack = data.stack;
  if (data.data) Object.assign(error, data.data);
  if (data.code !== undefined && !(error instanceof TaskGraphError))
    Object.assign(error, { code: data.code });
  return error;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Whether `value` is ErrorData already (plain data with a string name and message), not a live Error. */
export function isErrorData(value: unknown): value is ErrorData {
  if (value === null || typeof value !== 'object' || value instanceof Error) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string';
}
