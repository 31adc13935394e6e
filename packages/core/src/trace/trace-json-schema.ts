import { z } from 'zod';
import { traceFileDocumentSchema } from './trace-file-schema.js';
import { traceDocumentSchema } from './trace-schema.js';
import { TRACE_SCHEMA_URL } from './trace-write.js';

/**
 * The JSON Schema (draft 2020-12) of a trace document, version 2 (the files saveTrace writes) or 1 (the
 * explicit form), generated from the zod schemas that validate traces on load. Shipped as `@taskgraph/core/trace.schema.json`; traces name it in `$schema`.
 */
export function traceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([traceFileDocumentSchema, traceDocumentSchema]), {
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: TRACE_SCHEMA_URL,
    title: 'taskgraph trace',
    description: 'One run of a taskgraph TaskGraph: its tasks, their stored stages, fingerprints and status.',
  };
}
