import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  completionBody,
  isFault,
  lastUserText,
  type RecordedRequest,
  type ReplyFunction,
  type ReplyRule,
  type RequestOutcome,
  ruleMatches,
  type ScriptedReply,
  wantsJson,
  wantsStream,
} from './scripted-reply.js';
import { sseEvent, streamChunks } from './stream-chunks.js';

export interface TestServerOptions {
  /** Rules tried in order after the queue; the first that matches answers. */
  rules?: ReplyRule[];
  /** Answers the requests no queued reply and no rule answered. */
  respond?: ReplyFunction;
  /** The last resort (default: content "ok", or "{}" when the request asks for JSON). */
  defaultReply?: ScriptedReply;
  /** When set, a request without `Authorization: Bearer <apiKey>` gets a 401. */
  apiKey?: string;
}

/** An OpenAI-compatible chat completions server on 127.0.0.1 whose answers tests script. */
export interface TestServer {
  /** The base URL to give a client, ending in /v1. */
  readonly url: string;
  /** Every request received, in order, including those still in flight. */
  readonly requests: readonly RecordedRequest[];
  /** One-off replies, used before any rule, first in first out. */
  enqueue(...replies: ScriptedReply[]): void;
  addRule(rule: ReplyRule): void;
  setDefaultReply(reply: ScriptedReply | ReplyFunction): void;
  /** Resolves with `requests[index]` as soon as it has arrived, while it is still in flight. */
  waitForRequest(index?: number): Promise<RecordedRequest>;
  /** Stops the server, closing every open connection. */
  close(): Promise<void>;
}

const builtInDefault: ReplyFunction = (request) => ({ content: wantsJson(request) ? '{}' : 'ok' });

/**
 * Starts a test server on a random port of 127.0.0.1. POST /v1/chat/completions answers with, in this order:
 * the next queued reply, the first matching rule, `respond`, the default reply. Other routes answer 404.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const rules: ReplyRule[] = [...(options.rules ?? [])];
  let defaultReply: ScriptedReply | ReplyFunction = options.defaultReply ?? builtInDefault;
  const waiters: Array<{ index: number; resolve: (request: RecordedRequest) => void }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const uses = new Map<ReplyRule, number>();

  const choose = (request: RecordedRequest): ScriptedReply | ReplyFunction => {
    const queued = queue.shift();
    if (queued !== undefined) return queued;
    const rule = rules.find((candidate) => ruleMatches(candidate, request));
    if (rule !== undefined) {
      const used = (uses.get(rule) ?? 0) + 1;
      uses.set(rule, used);
      if (rule.times !== undefined && used >= rule.times) rules.splice(rules.indexOf(rule), 1);
      return rule.reply;
    }
    return options.respond ?? defaultReply;
  };

  const answer = async (
    reply: ScriptedReply | ReplyFunction,
    request: RecordedRequest,
    res: ServerResponse,
  ) => {
    let scripted: ScriptedReply;
    try {
      scripted = typeof reply === 'function' ? await reply(request) : reply;
    } catch (error) {
      return sendJson(res, 500, errorBody(`test server: the reply function threw: ${String(error)}`));
    }
    if (res.destroyed) return;
    if (typeof scripted === 'string') scripted = { content: scripted };
    if (!isFault(scripted)) {
      const asked = wantsStream(request);
      if (!asked.stream) return sendJson(res, 200, completionBody(scripted, request));
      const chunks = streamChunks(completionBody(scripted, request), asked.includeUsage);
      return sendStream(res, [...chunks, '[DONE]'], scripted.chunkDelayMs ?? 0, timers);
    }
    switch (scripted.fault) {
      case 'status':
        return sendJson(
          res,
          scripted.status,
          scripted.body ?? errorBody(`scripted ${scripted.status}`),
          scripted.headers,
        );
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void answer(scripted.reply ?? options.respond ?? defaultReply, request, res);
        }, scripted.ms);
        timers.add(timer);
        res.once('close', () => clearTimeout(timer));
        return;
      }
      case 'hang':
        return;
      case 'malformed':
        return send(res, 200, 'application/json', '{"id": "chatcmpl-broken", "choices": [{"mess');
      case 'html':
        return send(
          res,
          200,
          'text/html; charset=utf-8',
          '<!doctype html><html><body><h1>Welcome</h1></body></html>',
        );
      case 'cut-stream': {
        const base = scripted.reply ?? {};
        const chunks = streamChunks(completionBody(base, request), wantsStream(request).includeUsage);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of chunks.slice(0, scripted.afterChunks ?? 2)) res.write(sseEvent(chunk));
        if (scripted.ending === 'hang') return;
        if (scripted.ending === 'end') return void res.end();
        request.outcome = 'dropped';
        setImmediate(() => res.socket?.destroy());
        return;
      }
      case 'drop': {
        const body = JSON.stringify(completionBody({}, request));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, body.length >> 1));
        request.outcome = 'dropped';
        setImmediate(() => res.socket?.destroy());
        return;
      }
    }
  };

  const settle = new WeakMap<RecordedRequest, (outcome: Exclude<RequestOutcome, 'pending'>) => void>();
  const record = (req: IncomingMessage, text: string, index: number): RecordedRequest => {
    let resolve: (outcome: Exclude<RequestOutcome, 'pending'>) => void = () => {};
    const settled = new Promise<Exclude<RequestOutcome, 'pending'>>((r) => {
      resolve = r;
    });
    const body = parseJson(text);
    const model = (body as { model?: unknown } | null)?.model;
    const request: RecordedRequest = {
      index,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      model: typeof model === 'string' ? model : undefined,
      lastUserText: lastUserText(body),
      time: Date.now(),
      outcome: 'pending',
      clientClosed: false,
      settled,
    };
    settle.set(request, resolve);
    return request;
  };

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const request = record(req, text, requests.length);
      requests.push(request);
      res.once('finish', () => {
        if (request.outcome === 'pending') request.outcome = 'answered';
      });
      res.once('close', () => {
        if (request.outcome === 'pending') {
          request.outcome = 'client-closed';
          request.clientClosed = true;
        }
        settle.get(request)?.(request.outcome as Exclude<RequestOutcome, 'pending'>);
      });
      for (const waiter of waiters.filter((w) => w.index === request.index)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
        return sendJson(res, 404, errorBody(`test server: no route ${req.method} ${req.url}`));
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return sendJson(res, 401, errorBody('test server: wrong or missing API key'));
      }
      const body = request.body as { model?: unknown; messages?: unknown } | null;
      if (
        typeof body !== 'object' ||
        body === null ||
        typeof body.model !== 'string' ||
        !Array.isArray(body.messages)
      ) {
        return sendJson(
          res,
          400,
          errorBody('test server: the body needs a string "model" and a "messages" list'),
        );
      }
      return answer(choose(request), request, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    addRule: (rule) => void rules.push(rule),
    setDefaultReply: (reply) => {
      defaultReply = reply;
    },
    waitForRequest: (index = 0) => {
      const arrived = requests[index];
      if (arrived !== undefined) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorBody(message: string): Record<string, unknown> {
  return { error: { message, type: 'test_server_error', param: null, code: null } };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Writes server-sent events, `delayMs` apart, then ends the response (unless the client left). */
function sendStream(
  res: ServerResponse,
  events: unknown[],
  delayMs: number,
  timers: Set<NodeJS.Timeout>,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (delayMs <= 0) {
    for (const event of events) res.write(sseEvent(event));
    res.end();
    return;
  }
  let next = 0;
  const tick = () => {
    if (res.destroyed) return;
    res.write(sseEvent(events[next++]));
    if (next === events.length) return void res.end();
    const timer = setTimeout(() => {
      timers.delete(timer);
      tick();
    }, delayMs);
    timers.add(timer);
  };
  tick();
}

function send(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(text);
}
