import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplayUpdate } from '../api-types.js';
import { refusal, toApiFailure } from './api-failure.js';
import { COMMON_HEADERS, readJsonBody, sendFailure, sendJson } from './http-io.js';
import type { TraceSession } from './trace-session.js';

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

/**
 * The JSON API of the page (see api-types.ts): GET /api/trace, GET /api/plan, POST /api/edit,
 * POST /api/replay, POST /api/stop, GET /api/diff, and GET /api/events, a stream of server-sent events.
 */
export function createApiRoutes(session: TraceSession, streams: Set<ServerResponse>) {
  const routes: Record<string, Route> = {
    'GET /api/trace': () => session.trace(),
    'GET /api/plan': () => session.plan(),
    'POST /api/edit': async (req) => session.edit(await readJsonBody(req, 'POST /api/edit')),
    'POST /api/replay': () => session.replay(),
    'POST /api/stop': async () => session.stop(),
    'GET /api/diff': () => session.diff(),
  };

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const name = `${req.method} ${pathname}`;
    if (name === 'GET /api/events') {
      openStream(session, streams, res);
      return;
    }
    const route = routes[name];
    if (!route) {
      sendFailure(res, refusal(404, 'NOT_FOUND', `taskgraph viewer: no route ${name}.`));
      return;
    }
    try {
      sendJson(res, 200, await route(req, res));
    } catch (error) {
      sendFailure(res, toApiFailure(error));
    }
  };
}

function openStream(session: TraceSession, streams: Set<ServerResponse>, res: ServerResponse): void {
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    Connection: 'keep-alive',
  });
  const send = (update: ReplayUpdate) => res.write(`event: update\ndata: ${JSON.stringify(update)}\n\n`);
  streams.add(res);
  const unsubscribe = session.subscribe(send);
  res.on('close', () => {
    unsubscribe();
    streams.delete(res);
  });
}
