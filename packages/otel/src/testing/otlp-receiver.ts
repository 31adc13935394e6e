import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A span as the receiver decoded it from an OTLP/HTTP JSON request. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP span kind: 1 internal, 3 client. */
  kind: number;
  /** Epoch nanoseconds. */
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  resource: Record<string, unknown>;
}

/**
 * An OTLP/HTTP receiver on 127.0.0.1 that decodes the JSON export requests it gets (what the
 * `@opentelemetry/exporter-trace-otlp-http` exporter sends): for tests of what a program exports.
 */
export interface OtlpReceiver {
  /** The traces endpoint, `http://127.0.0.1:<port>/v1/traces`. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Requests received: path, content type and headers. */
  readonly requests: Array<{ path: string; contentType: string; headers: IncomingHttpHeaders }>;
  /** Answers the next requests with this status (default 200). */
  status: number;
  close(): Promise<void>;
}

/** Starts a receiver on a free port; `close` stops it. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        headers: req.headers,
      });
      if (state.status !== 200) {
        res.writeHead(state.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 3, message: 'refused by the test receiver' }));
        return;
      }
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
      spans.push(...decodeExportRequest(JSON.parse(text)));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    requests,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type Json = Record<string, unknown>;

/** The spans of an ExportTraceServiceRequest in its JSON encoding. */
function decodeExportRequest(request: Json): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of (request.resourceSpans ?? []) as Json[]) {
    const resource = decodeAttributes(((resourceSpans.resource ?? {}) as Json).attributes);
    for (const scopeSpans of (resourceSpans.scopeSpans ?? []) as Json[]) {
      for (const span of (scopeSpans.spans ?? []) as Json[]) {
        spans.push({
          traceId: String(span.traceId),
          spanId: String(span.spanId),
          parentSpanId: String(span.parentSpanId ?? ''),
          name: String(span.name),
          kind: Number(span.kind),
          start: BigInt(span.startTimeUnixNano as string),
          end: BigInt(span.endTimeUnixNano as string),
          attributes: decodeAttributes(span.attributes),
          status: (span.status ?? { code: 0 }) as ReceivedSpan['status'],
          resource,
        });
      }
    }
  }
  return spans;
}

function decodeAttributes(list: unknown): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const { key, value } of (list ?? []) as Array<{ key: string; value: Json }>) {
    attributes[key] = decodeValue(value);
  }
  return attributes;
}

function decodeValue(value: Json): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) {
    return (((value.arrayValue as Json).values ?? []) as Json[]).map(decodeValue);
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
