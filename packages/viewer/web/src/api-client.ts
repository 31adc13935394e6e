import type {
  ApiError,
  DiffResponse,
  EditRequest,
  EditResponse,
  PlanResponse,
  ReplayResponse,
  TraceResponse,
} from '../../src/api-types.js';

/** A refusal of the viewer's server, with its code and message. */
export class ApiRequestError extends Error {
  readonly error: ApiError;
  readonly status: number;
  constructor(error: ApiError, status: number) {
    super(error.message);
    this.error = error;
    this.status = status;
  }
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const data = (await response.json().catch(() => undefined)) as { error?: ApiError } | undefined;
  if (!response.ok) {
    throw new ApiRequestError(
      data?.error ?? { code: 'INTERNAL', message: `${method} ${path}: HTTP ${response.status}` },
      response.status,
    );
  }
  return data as T;
}

/** The viewer's JSON API (see src/api-types.ts); the page talks to nothing else. */
export const api = {
  trace: () => request<TraceResponse>('GET', '/api/trace'),
  plan: () => request<PlanResponse>('GET', '/api/plan'),
  edit: (edit: EditRequest) => request<EditResponse>('POST', '/api/edit', edit),
  replay: () => request<ReplayResponse>('POST', '/api/replay', {}),
  stop: () => request<ReplayResponse>('POST', '/api/stop', {}),
  diff: () => request<DiffResponse>('GET', '/api/diff'),
};

/** The error to show for anything a request threw. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiRequestError) return error.error;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
