import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { ApiError, ReplayUpdate } from '../src/api-types.js';

export interface HttpAnswer<T> {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON), typed as the test expects it. */
  json: T;
}

/** The body of a refused request. */
export interface Refused {
  error: ApiError;
}

/** One HTTP request with full control of the headers (fetch does not let a test set Host). */
export function request<T = Refused>(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer<T>> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: json as T });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Follows GET /api/events: every update received so far, and a wait for the n-th update of a type. */
export function followEvents(baseUrl: string): {
  updates: ReplayUpdate[];
  waitFor<K extends ReplayUpdate['type']>(
    type: K,
    count?: number,
  ): Promise<Extract<ReplayUpdate, { type: K }>>;
  close(): void;
} {
  const updates: ReplayUpdate[] = [];
  const waiters = new Set<() => boolean>();
  let buffer = '';
  const req = httpRequest(new URL('/api/events', baseUrl), (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((line) => line.startsWith('data: '));
        if (data) updates.push(JSON.parse(data.slice(6)) as ReplayUpdate);
        buffer = buffer.slice(end + 2);
      }
      for (const waiter of waiters) if (waiter()) waiters.delete(waiter);
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    updates,
    waitFor(type, count = 1) {
      return new Promise((resolve) => {
        const check = () => {
          const found = updates.filter((update) => update.type === type)[count - 1];
          if (found) resolve(found as Extract<ReplayUpdate, { type: typeof type }>);
          return found !== undefined;
        };
        if (!check()) waiters.add(check);
      });
    },
    close: () => req.destroy(),
  };
}
