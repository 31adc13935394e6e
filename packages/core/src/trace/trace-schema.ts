import { z } from 'zod';
import type { RunInfo, RunUsage } from '../model/run-info.js';

/** The format name every trace carries. */
export const TRACE_FORMAT = 'taskgraph-trace';
/**
 * Version 1: the explicit form of a trace document, every field written, times in epoch ms. It is what
 * `toJSON()` returns and what journal lines hold; files in it keep loading.
 */
export const TRACE_VERSION = 1;

/** Stage -> string, for fingerprints and versions. */
export const stageKeys = {
  output: z.string(),
  prompt: z.string(),
  response: z.string(),
  input: z.string(),
  question: z.string(),
  answer: z.string(),
};

export const errorDataSchema = z.object({
  name: z.string(),
  message: z.string(),
  code: z.string().optional(),
  stack: z.string().optional(),
  taskPath: z.array(z.string()).optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  get cause() {
    return errorDataSchema.optional();
  },
});

const usageSchema = z.object({
  promptTokens: z.number().nonnegative(),
  completionTokens: z.number().nonnegative(),
  totalTokens: z.number().nonnegative(),
});

/**
 * The annotations of a stored value: superjson's (what plain JSON cannot hold: Date, Map, Set, BigInt,
 * undefined, references), or `{ lossy }` with why the value could not be stored as it was.
 */
export const valueMetaSchema = z
  .union([
    z.strictObject({ lossy: z.string() }),
    z
      .strictObject({
        values: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
        referentialEqualities: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
        v: z.number().optional(),
      })
      .refine((meta) => meta.values !== undefined || meta.referentialEqualities !== undefined, {
        message: 'superjson annotations hold `values` or `referentialEqualities`',
      }),
  ])
  .meta({ id: 'valueMeta' });

export const statusSchema = z.enum([
  'pending',
  'running',
  'done',
  'failed',
  'skipped',
  'cancelled',
  'waiting',
]);

const common = {
  id: z.string().min(1),
  deps: z.array(z.string().min(1)).optional(),
  namedDeps: z.record(z.string(), z.string().min(1)).optional(),
  createdBy: z.string().min(1).optional(),
  /** Constant JSON arguments (`ctx.args`). */
  args: z.unknown().optional(),
  /** JSON Schema of the output. */
  schema: z.unknown().optional(),
  status: statusSchema,
  readsInput: z.boolean().optional(),
  versions: z.object(stageKeys).partial().optional(),
  attempts: z.number().int().nonnegative().optional(),
  startedAt: z.number().optional(),
  durationMs: z.number().nonnegative().optional(),
  error: errorDataSchema.optional(),
  output: z.unknown().optional(),
  /** superjson annotations of stage values that plain JSON cannot hold. */
  meta: z
    .strictObject({
      output: valueMetaSchema,
      prompt: valueMetaSchema,
      response: valueMetaSchema,
      question: valueMetaSchema,
      answer: valueMetaSchema,
    })
    .partial()
    .optional(),
  fingerprints: z.object(stageKeys).partial().optional(),
};

export const functionRecordSchema = z.object({
  ...common,
  kind: z.literal('function'),
  fn: z.string().min(1),
  retries: z.number().int().nonnegative().optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const llmRecordSchema = z.object({
  ...common,
  kind: z.literal('llm'),
  promptFn: z.string().min(1),
  /** A parser function id, or `{ schema }` with the JSON Schema the reply is validated against. */
  parser: z.union([z.string().min(1), z.object({ schema: z.unknown() })]),
  handler: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
  /** Repairs allowed when the parser rejects a reply (absent: the default for the parser kind). */
  maxRepairs: z.number().int().nonnegative().optional(),
  prompt: z.unknown().optional(),
  response: z.unknown().optional(),
  usage: usageSchema.optional(),
  model: z.string().optional(),
  costUsd: z.number().nonnegative().nullable().optional(),
  /** Replies the parser rejected, each sent back to the model with its error; the last response is `response`. */
  repairs: z
    .array(z.object({ response: z.unknown(), error: errorDataSchema, usage: usageSchema.optional() }))
    .optional(),
  /** "cache" when the response came from a response cache instead of a call. */
  responseSource: z.literal('cache').optional(),
});

export const graphRecordSchema = z.object({
  ...common,
  kind: z.literal('graph'),
  inputFn: z.string().min(1),
  get graph(): z.ZodType<GraphDocument> {
    return graphDocumentSchema;
  },
});

export const humanRecordSchema = z.object({
  ...common,
  kind: z.literal('human'),
  questionFn: z.string().min(1),
  /** A parser function id, or `{ schema }` the answer must satisfy; absent: the output is the answer. */
  parser: z.union([z.string().min(1), z.object({ schema: z.unknown() })]).optional(),
  /** The answer an unattended run takes (JSON). */
  default: z.unknown().optional(),
  deadlineMs: z.number().int().nonnegative().optional(),
  question: z.unknown().optional(),
  answer: z.unknown().optional(),
  /** Epoch ms when the question was first asked. */
  askedAt: z.number().optional(),
});

export const taskRecordSchema = z.discriminatedUnion('kind', [
  functionRecordSchema,
  llmRecordSchema,
  graphRecordSchema,
  humanRecordSchema,
]);

/** A graph in a trace: its input, its output task, its tasks (a GraphTask's record holds its nested graph). */
export interface GraphDocument {
  input?: unknown;
  /** superjson annotations of the input when plain JSON cannot hold it. */
  inputMeta?: unknown;
  outputTask?: string | undefined;
  tasks: TaskRecord[];
}

export const graphDocumentSchema: z.ZodType<GraphDocument> = z.object({
  input: z.unknown().optional(),
  inputMeta: valueMetaSchema.optional(),
  outputTask: z.string().min(1).optional(),
  tasks: z.array(taskRecordSchema),
});

export const runUsageSchema = z.object({
  llmCalls: z.number().int().nonnegative(),
  promptTokens: z.number().nonnegative(),
  completionTokens: z.number().nonnegative(),
  totalTokens: z.number().nonnegative(),
  /** Sum over calls with a known price. */
  costUsd: z.number().nonnegative(),
  /** Calls whose model had no price: their cost is unknown, not zero. */
  unknownCostCalls: z.number().int().nonnegative(),
}) satisfies z.ZodType<RunUsage>;

export const runInfoSchema = z.object({
  status: z.enum(['running', 'done', 'failed', 'cancelled', 'waiting']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  error: errorDataSchema.optional(),
  usage: runUsageSchema.optional(),
  /** What stands behind each LLM handler the run used (for example "not a real model"). */
  handlers: z.record(z.string(), z.string()).optional(),
  /** The program that wrote the trace (the `program` run option): a run of another program refuses the file. */
  program: z.string().optional(),
}) satisfies z.ZodType<Omit<RunInfo, 'error'>>;

export const traceDocumentSchema = z.object({
  $schema: z.string().optional(),
  format: z.literal(TRACE_FORMAT),
  version: z.literal(TRACE_VERSION),
  savedAt: z.string().optional(),
  run: runInfoSchema.optional(),
  graph: graphDocumentSchema,
});

export type ErrorRecord = z.infer<typeof errorDataSchema>;
export type TaskRecord = z.infer<typeof taskRecordSchema>;
export type FunctionRecord = z.infer<typeof functionRecordSchema>;
export type LLMRecord = z.infer<typeof llmRecordSchema>;
export type GraphRecord = z.infer<typeof graphRecordSchema>;
export type HumanRecord = z.infer<typeof humanRecordSchema>;
export type TraceDocument = z.infer<typeof traceDocumentSchema>;
