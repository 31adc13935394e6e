import type { IncomingMessage, ServerResponse } from 'node:http';
import { TaskGraphError } from '@taskgraph/core';
import type { ApiFailure } from './api-failure.js';
import { refusal } from './api-failure.js';

/** The largest request body accepted: an edited value, not a trace. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** Headers on every answer: nothing is cached, framed, sniffed or sent to another site. */
export const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendFailure(res: ServerResponse, failure: ApiFailure): void {
  sendJson(res, failure.status, { error: failure.error });
}

/**
 * Refuses what a page of another site could send: a Host other than the loopback address (DNS
 * rebinding), and a change (POST) that is not JSON or comes from another origin.
 */
export function checkOrigin(req: IncomingMessage, port: number): ApiFailure | undefined {
  const allowed = LOOPBACK_HOSTS.map((host) => `${host}:${port}`);
  if (!allowed.includes(req.headers.host ?? '')) {
    return refusal(403, 'FORBIDDEN', `taskgraph viewer: requests must address ${allowed[0]}.`);
  }
  if (req.method !== 'POST') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.some((host) => origin === `http://${host}`)) {
    return refusal(403, 'FORBIDDEN', `taskgraph viewer: changes from another site (${origin}) are refused.`);
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return refusal(403, 'FORBIDDEN', 'taskgraph viewer: a change must be sent as application/json.');
  }
  return undefined;
}

/** Reads a JSON request body (an empty body is `{}`); throws INVALID_ARGUMENT when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, api: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: the body is larger than ${MAX_BODY_BYTES} bytes.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: the body is not JSON (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
}
