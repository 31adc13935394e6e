import { z } from 'zod';
import {
  functionRecordSchema,
  graphRecordSchema,
  humanRecordSchema,
  llmRecordSchema,
  runInfoSchema,
  stageKeys,
  statusSchema,
  TRACE_FORMAT,
  valueMetaSchema,
} from './trace-schema.js';

/**
 * Version 2: the form trace files are written in. The same document as version 1 with what is implied
 * left out (kind "function", status "done", one attempt), times relative to the document's `timeOrigin`
 * and rounded, and a task's only fingerprint written as a string. Files lay it out one task per line.
 */
export const TRACE_FILE_VERSION = 2;

/** The fields of a version 1 record that version 2 writes differently. */
const REPLACED = { status: true, startedAt: true, durationMs: true, fingerprints: true } as const;

const compactFields = {
  /** Absent: "done". */
  status: statusSchema.optional(),
  /** Absent: 1 when the task has started (`at`), else 0. */
  attempts: z.number().int().nonnegative().optional(),
  /** When the task last started: ms after the document's `timeOrigin`, rounded to 0.01 ms. */
  at: z.number().optional(),
  /** How long its last execution took, ms rounded to 0.01; absent when it rounds to 0. */
  ms: z.number().nonnegative().optional(),
  /** Stage -> fingerprint; a string when the only fingerprint is the output's. */
  fp: z.union([z.string(), z.object(stageKeys).partial()]).optional(),
};

export const functionFileRecordSchema = functionRecordSchema.omit(REPLACED).extend({
  ...compactFields,
  /** Absent: "function". */
  kind: z.literal('function').optional(),
});

export const llmFileRecordSchema = llmRecordSchema.omit(REPLACED).extend(compactFields);

export const humanFileRecordSchema = humanRecordSchema.omit(REPLACED).extend(compactFields);

export const graphFileRecordSchema = graphRecordSchema.omit({ ...REPLACED, graph: true }).extend({
  ...compactFields,
  get graph(): z.ZodType<GraphFileDocument> {
    return graphFileDocumentSchema;
  },
});

export const taskFileRecordSchema = z.discriminatedUnion('kind', [
  functionFileRecordSchema,
  llmFileRecordSchema,
  graphFileRecordSchema,
  humanFileRecordSchema,
]);

export type TaskFileRecord = z.infer<typeof taskFileRecordSchema>;

/** A graph in a version 2 trace. */
export interface GraphFileDocument {
  input?: unknown;
  inputMeta?: unknown;
  outputTask?: string | undefined;
  tasks: TaskFileRecord[];
}

export const graphFileDocumentSchema: z.ZodType<GraphFileDocument> = z.object({
  input: z.unknown().optional(),
  inputMeta: valueMetaSchema.optional(),
  outputTask: z.string().min(1).optional(),
  tasks: z.array(taskFileRecordSchema),
});

const headFields = {
  $schema: z.string().optional(),
  format: z.literal(TRACE_FORMAT),
  savedAt: z.string().optional(),
  run: runInfoSchema.optional(),
};

/** A whole version 2 document (for the JSON Schema that editors use). */
export const traceFileDocumentSchema = z.object({
  ...headFields,
  version: z.literal(TRACE_FILE_VERSION),
  /** Epoch ms that the tasks' `at` counts from (absent: 0). */
  timeOrigin: z.number().optional(),
  graph: graphFileDocumentSchema,
});

/**
 * Everything of a document but its root tasks, which are checked one at a time as they are read: the
 * loader validates this first, then each record.
 */
export function traceHeadSchema(version: number) {
  return z.object({
    ...headFields,
    version: z.literal(version),
    timeOrigin: z.number().optional(),
    graph: z.object({
      input: z.unknown().optional(),
      inputMeta: valueMetaSchema.optional(),
      outputTask: z.string().min(1).optional(),
      tasks: z.array(z.unknown()),
    }),
  });
}
