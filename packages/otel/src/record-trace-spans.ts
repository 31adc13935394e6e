import {
  type Attributes,
  type Context,
  context as contextApi,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { AssistantMessage, GraphDocument, Prompt, TaskRecord, TraceDocument } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { ATTR } from './attribute-names.js';
import { genAiAttributes } from './gen-ai-attributes.js';
import { taskAttributes } from './task-attributes.js';

export interface RecordTraceSpansOptions {
  /** The tracer spans are made with (default the global provider's tracer "@taskgraph/otel"). */
  tracer?: Tracer;
  /** The parent of the run span (default the active context). */
  context?: Context;
  /** Record prompts and replies on LLM task spans (`gen_ai.input.messages`, `gen_ai.output.messages`). Default false. */
  captureContent?: boolean;
  /** `gen_ai.provider.name` by handler id (default: the handler id). */
  providers?: Readonly<Record<string, string>>;
}

/** What `recordTraceSpans` made. */
export interface RecordedSpans {
  /** Spans made: the run's and one per task that has recorded times. */
  spans: number;
  /** Tasks without recorded times (never started: pending or skipped), which have no span. */
  untimed: number;
}

/**
 * Makes the spans of a saved trace with its recorded times: one for the run, one per task that ran (nested
 * under its graph task), with its id, path, kind, status, fingerprints, and "reused" when it ran before
 * the recorded run began. An LLM task's span carries the GenAI attributes of its call (kind CLIENT); a
 * trace records no time per stage, so there are no stage spans. The trace must be valid (`loadTrace`
 * checks it).
 */
export function recordTraceSpans(
  document: TraceDocument,
  options: RecordTraceSpansOptions = {},
): RecordedSpans {
  const tracer = options.tracer ?? trace.getTracer('@taskgraph/otel');
  const parent = options.context ?? contextApi.active();
  const bounds = timeBounds(document);
  if (bounds === undefined) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      'recordTraceSpans: the trace records no times (it was never run). Run it, then export it.',
    );
  }
  const result: RecordedSpans = { spans: 1, untimed: 0 };
  const run = tracer.startSpan(
    'taskgraph.run',
    { startTime: bounds.start, attributes: { [ATTR.runTasks]: countTasks(document.graph) } },
    parent,
  );
  const status = document.run?.status;
  if (status !== undefined) run.setAttribute(ATTR.runStatus, status);
  if (status === 'failed')
    run.setStatus({ code: SpanStatusCode.ERROR, message: document.run?.error?.message ?? '' });
  const walk = (graph: GraphDocument, path: readonly string[], ctx: Context) => {
    for (const record of graph.tasks) {
      const taskPath = [...path, record.id];
      if (record.startedAt === undefined) {
        result.untimed++;
        continue;
      }
      const end = record.startedAt + (record.durationMs ?? 0);
      const span = tracer.startSpan(
        `${record.kind} ${record.id}`,
        {
          kind: record.kind === 'llm' ? SpanKind.CLIENT : SpanKind.INTERNAL,
          startTime: record.startedAt,
          attributes: recordAttributes(record, taskPath, record.startedAt < bounds.start, options),
        },
        ctx,
      );
      if (record.error) {
        span.setAttribute(ATTR.errorType, record.error.code ?? record.error.name);
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.error.message });
      }
      result.spans++;
      if (record.kind === 'graph') walk(record.graph, taskPath, trace.setSpan(ctx, span));
      span.end(end);
    }
  };
  walk(document.graph, [], trace.setSpan(parent, run));
  run.end(bounds.end);
  return result;
}

function recordAttributes(
  record: TaskRecord,
  taskPath: readonly string[],
  reused: boolean,
  options: RecordTraceSpansOptions,
): Attributes {
  const attributes = taskAttributes(taskPath, record.kind, record.createdBy);
  attributes[ATTR.taskStatus] = record.status;
  attributes[ATTR.taskReused] = reused;
  for (const [stage, fingerprint] of Object.entries(record.fingerprints ?? {})) {
    if (fingerprint !== undefined) attributes[`${ATTR.taskFingerprint}.${stage}`] = fingerprint;
  }
  if (record.kind !== 'llm') return attributes;
  const facts = {
    handler: record.handler,
    provider: options.providers?.[record.handler] ?? record.handler,
    params: record.params,
    responseModel: record.model,
    usage: record.usage,
    costUsd: record.costUsd,
    response: record.response as AssistantMessage | undefined,
    prompt: record.prompt as Prompt | undefined,
  };
  return { ...attributes, ...genAiAttributes(facts, options.captureContent === true) };
}

/** The run's recorded start and end, or else the span of its tasks' times. */
function timeBounds(document: TraceDocument): { start: number; end: number } | undefined {
  const run = document.run;
  const started = run ? Date.parse(run.startedAt) : Number.NaN;
  if (run && Number.isFinite(started)) {
    const ended = run.endedAt ? Date.parse(run.endedAt) : started + (run.durationMs ?? 0);
    return { start: started, end: Number.isFinite(ended) ? ended : started };
  }
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const visit = (graph: GraphDocument) => {
    for (const record of graph.tasks) {
      if (record.startedAt !== undefined) {
        start = Math.min(start, record.startedAt);
        end = Math.max(end, record.startedAt + (record.durationMs ?? 0));
      }
      if (record.kind === 'graph') visit(record.graph);
    }
  };
  visit(document.graph);
  return Number.isFinite(start) ? { start, end } : undefined;
}

function countTasks(graph: GraphDocument): number {
  let count = 0;
  for (const record of graph.tasks) count += record.kind === 'graph' ? 1 + countTasks(record.graph) : 1;
  return count;
}
