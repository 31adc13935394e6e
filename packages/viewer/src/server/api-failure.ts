import { InvalidTraceError, TaskGraphError } from '@taskgraph/core';
import type { ApiError, ApiErrorCode } from '../api-types.js';

/** A refusal to answer with: its HTTP status and the error the page shows. */
export interface ApiFailure {
  status: number;
  error: ApiError;
}

/** A refusal for a condition of the server itself (no registry, no previous run…). */
export function refusal(status: number, code: ApiErrorCode, message: string): ApiFailure {
  return { status, error: { code, message } };
}

export function isApiFailure(value: unknown): value is ApiFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiFailure).status === 'number' &&
    typeof (value as ApiFailure).error?.code === 'string'
  );
}

/**
 * The refusal for an error thrown while answering: a core error keeps its code, message, task path and
 * (for an invalid trace) JSON path; anything else is INTERNAL.
 */
export function toApiFailure(error: unknown): ApiFailure {
  if (isApiFailure(error)) return error;
  if (!(error instanceof TaskGraphError)) {
    const message = error instanceof Error ? error.message : String(error);
    return refusal(500, 'INTERNAL', `taskgraph viewer: unexpected failure: ${message}`);
  }
  const body: ApiError = { code: error.code, message: error.message };
  if (error instanceof InvalidTraceError) body.path = error.path;
  if (error.taskPath) body.taskPath = [...error.taskPath];
  return { status: STATUS[error.code] ?? 400, error: body };
}

const STATUS: Partial<Record<ApiErrorCode, number>> = {
  INVALID_TRACE: 422,
  UNSUPPORTED_TRACE_VERSION: 422,
  RUN_IN_PROGRESS: 409,
  UNKNOWN_FUNCTION: 409,
  UNKNOWN_HANDLER: 409,
};
