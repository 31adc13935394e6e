export { ATTR as OTEL_ATTRIBUTES } from './attribute-names.js';
export { type OtelRunListenerOptions, otelRunListener } from './otel-run-listener.js';
export { type RecordedSpans, type RecordTraceSpansOptions, recordTraceSpans } from './record-trace-spans.js';
