import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionRegistry } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { refusal, toApiFailure } from './api-failure.js';
import { createApiRoutes } from './api-routes.js';
import { checkOrigin, sendFailure } from './http-io.js';
import { sendUnavailablePage, serveStatic } from './static-files.js';
import { TraceSession } from './trace-session.js';
import { ensureWebBuild, WEB_ROOT } from './web-build.js';

export interface ViewerOptions {
  /** The trace file to show, edit and replay. */
  tracePath: string;
  /** The functions and LLM handlers of the trace's program; without it the page shows and edits, but cannot replay. */
  registry?: FunctionRegistry;
  /** The port on 127.0.0.1; leave it out (or 0) for a free one. */
  port?: number;
}

export interface Viewer {
  /** The page's address, `http://127.0.0.1:<port>/`. */
  url: string;
  /** Stops a replay in progress (what finished is written), ends the event streams and closes the server. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Serves the viewer for one trace file on the loopback address only: the built page and the JSON API
 * it uses (see api-types.ts). A trace that fails to load still serves: the page shows the error with its
 * JSON path, and shows the trace once the file is fixed.
 */
export async function startViewer(options: ViewerOptions): Promise<Viewer> {
  const { tracePath, registry, port = 0 } = checkOptions(options);
  const exists = await stat(tracePath).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!exists) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `startViewer: no trace file at "${tracePath}". Give the path of a trace written by a run (saveTrace or taskgraph run).`,
    );
  }
  const pageProblem = await ensureWebBuild().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const session = new TraceSession(tracePath, registry);
  await session.start();
  const streams = new Set<ServerResponse>();
  const api = createApiRoutes(session, streams);
  let boundPort = port;

  const server = createServer((req, res) => {
    const refused = checkOrigin(req, boundPort);
    if (refused) {
      sendFailure(res, refused);
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const page = req.method === 'GET' || req.method === 'HEAD';
    const answer = pathname.startsWith('/api/')
      ? api(req, res, pathname)
      : !page
        ? Promise.resolve(
            sendFailure(
              res,
              refusal(405, 'NOT_FOUND', `taskgraph viewer: ${req.method} ${pathname} is not a route.`),
            ),
          )
        : pageProblem !== undefined
          ? Promise.resolve(sendUnavailablePage(res, pageProblem))
          : serveStatic(WEB_ROOT, pathname, res);
    answer.catch((error: unknown) => {
      if (!res.headersSent) sendFailure(res, toApiFailure(error));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new TaskGraphError(
              'INVALID_ARGUMENT',
              `startViewer: port ${port} is in use on ${HOST}. Choose another port, or leave \`port\` out for a free one.`,
              { cause: error },
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${boundPort}/`,
    close() {
      closing ??= (async () => {
        await session.close();
        for (const stream of streams) stream.end();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function checkOptions(options: ViewerOptions): ViewerOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('`options` must be an object { tracePath, registry?, port? }');
  }
  const { tracePath, registry, port } = options;
  if (typeof tracePath !== 'string' || tracePath === '') {
    throw invalid(`\`tracePath\` must be the path of a trace file (got ${JSON.stringify(tracePath)})`);
  }
  if (registry !== undefined && typeof registry?.get !== 'function') {
    throw invalid('`registry` must be a FunctionRegistry');
  }
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw invalid(`\`port\` must be an integer from 0 to 65535 (got ${String(port)})`);
  }
  return options;
}

function invalid(problem: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `startViewer: ${problem}.`);
}
