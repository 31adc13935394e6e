import { ROOT_CONTEXT } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { TraceDocument } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { type RecordedSpans, type RecordTraceSpansOptions, recordTraceSpans } from './record-trace-spans.js';

/** The codes of @taskgraph/otel's own errors. */
export const OTEL_ERROR_CODES = ['OTLP_EXPORT_FAILED'] as const;
export type OtelErrorCode = (typeof OTEL_ERROR_CODES)[number];

export interface ExportTraceOtlpOptions extends Omit<RecordTraceSpansOptions, 'tracer' | 'context'> {
  /**
   * The OTLP/HTTP endpoint: the traces URL (`http://localhost:4318/v1/traces`), or a base URL without a
   * path, to which `/v1/traces` is added.
   */
  url: string;
  /** Headers sent with the request (an API key, basic authentication…). */
  headers?: Readonly<Record<string, string>>;
  /** `service.name` of the spans' resource (default "taskgraph"). */
  serviceName?: string;
  /** Longest one request may take, in ms (default 10,000). */
  timeoutMs?: number;
  /** Spans per request (default 1,000): a large trace goes in several requests, one after the other. */
  batchSize?: number;
}

/**
 * Sends the spans of a saved trace (see recordTraceSpans) to an OTLP/HTTP endpoint as JSON, with the
 * recorded times, `batchSize` spans per request. Rejects with OTLP_EXPORT_FAILED when the endpoint cannot
 * be reached or refuses the spans (the batches before it were sent).
 */
export async function exportTraceOtlp(
  document: TraceDocument,
  options: ExportTraceOtlpOptions,
): Promise<RecordedSpans> {
  const url = tracesUrl(options.url);
  const batchSize = options.batchSize ?? 1_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `exportTraceOtlp: \`batchSize\` must be an integer from 1 up (got ${String(batchSize)}).`,
    );
  }
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'taskgraph' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const recorded = recordTraceSpans(document, {
    ...options,
    tracer: provider.getTracer('@taskgraph/otel'),
    context: ROOT_CONTEXT,
  });
  await provider.forceFlush();
  const exporter = new OTLPTraceExporter({
    url,
    headers: { ...options.headers },
    timeoutMillis: options.timeoutMs ?? 10_000,
  });
  try {
    const spans = memory.getFinishedSpans();
    for (let start = 0; start < spans.length; start += batchSize) {
      await send(exporter, spans.slice(start, start + batchSize), url);
    }
  } finally {
    await exporter.shutdown();
    await provider.shutdown();
  }
  return recorded;
}

function send(exporter: OTLPTraceExporter, spans: ReadableSpan[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => {
      // ExportResultCode.SUCCESS (from @opentelemetry/core, which this package does not depend on).
      if (result.code === 0) return resolve();
      const detail = result.error?.message ?? 'no detail';
      reject(
        new TaskGraphError<OtelErrorCode>(
          'OTLP_EXPORT_FAILED',
          `exportTraceOtlp: the OTLP endpoint ${url} did not take the spans (${detail}). Check the URL (an OTLP/HTTP traces endpoint, usually port 4318) and the headers it needs.`,
          { cause: result.error },
        ),
      );
    });
  });
}

function tracesUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `exportTraceOtlp: \`url\` must be an http(s) URL (got ${JSON.stringify(value)}). Pass the OTLP/HTTP endpoint, for example http://localhost:4318/v1/traces.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `exportTraceOtlp: \`url\` must be an http(s) URL (got ${JSON.stringify(value)}). OTLP over gRPC is not supported: use the HTTP endpoint (port 4318).`,
    );
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}
