export {
  type ExportTraceOtlpOptions,
  exportTraceOtlp,
  OTEL_ERROR_CODES,
  type OtelErrorCode,
} from './export-trace-otlp.js';
