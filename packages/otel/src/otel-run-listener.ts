import {
  type Attributes,
  type Context,
  context as contextApi,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type {
  AssistantMessage,
  ErrorData,
  Prompt,
  RunEvent,
  RunEventListener,
  TaskGraphBase,
} from '@taskgraph/core';
import { ATTR } from './attribute-names.js';
import { genAiAttributes } from './gen-ai-attributes.js';
import { lookupTask, taskFingerprints } from './graph-lookup.js';
import { taskAttributes } from './task-attributes.js';

export interface OtelRunListenerOptions {
  /** The tracer spans are made with (default the global provider's tracer "@taskgraph/otel"). */
  tracer?: Tracer;
  /** The parent of the run span (default the active context, so a run nests under the caller's span). */
  context?: Context;
  /**
   * The graph being run. With it, LLM spans get their finish reason (and content, see `captureContent`)
   * from the stored response, and task spans their stages' fingerprints.
   */
  graph?: TaskGraphBase;
  /** Record prompts and replies on LLM spans (`gen_ai.input.messages`, `gen_ai.output.messages`); needs `graph`. Default false. */
  captureContent?: boolean;
  /** `gen_ai.provider.name` by handler id (default: the handler id, so the OpenAI handler gives "openai"). */
  providers?: Readonly<Record<string, string>>;
}

interface Open {
  span: Span;
  ctx: Context;
}

/** An LLM call span: open until the next event of its task, when its response is stored. */
interface Call extends Open {
  handler: string;
  model: string | undefined;
  endedAt?: number;
}

/**
 * A run event listener that makes OpenTelemetry spans as the run goes: one for the run, one per task
 * (nested under its graph task), one per stage that runs, and one per LLM call with the GenAI semantic
 * conventions. Give it as `onEvent` (or call it from yours). Spans go to whatever SDK and exporter the
 * tracer belongs to.
 */
export function otelRunListener(options: OtelRunListenerOptions = {}): RunEventListener {
  const recorder = new LiveSpans(options);
  return (event) => recorder.on(event);
}

class LiveSpans {
  readonly #tracer: Tracer;
  readonly #parent: Context;
  readonly #options: OtelRunListenerOptions;
  #run: Open | undefined;
  readonly #tasks = new Map<string, Open>();
  readonly #stages = new Map<string, Open>();
  readonly #calls = new Map<string, Call>();

  constructor(options: OtelRunListenerOptions) {
    this.#options = options;
    this.#tracer = options.tracer ?? trace.getTracer('@taskgraph/otel');
    this.#parent = options.context ?? contextApi.active();
  }

  on(event: RunEvent): void {
    const at = now();
    if (event.type === 'run:start') {
      this.#run = this.#start('taskgraph.run', this.#parent, event.at, { [ATTR.runTasks]: event.tasks });
      return;
    }
    if (event.type === 'run:end') {
      // The run's own `at` is whole milliseconds; its tasks end on this listener's finer clock, so the run
      // span ends on that clock too, never before its last child.
      this.#endRun(event.status, Math.max(event.at, at));
      return;
    }
    const key = keyOf(event.taskPath);
    // The response of the task's last LLM call is stored before any later event of the task.
    if (event.type !== 'llm:usage' && event.type !== 'llm:delta' && event.type !== 'stage:end') {
      this.#settleCall(key, event.taskPath);
    }
    switch (event.type) {
      case 'task:start':
        this.#startTask(key, event.taskPath, event.kind, at);
        break;
      case 'task:reused':
        this.#startTask(key, event.taskPath, event.kind, at);
        this.#endTask(key, event.taskPath, 'done', at, { [ATTR.taskReused]: true });
        break;
      case 'task:done':
        this.#endTask(key, event.taskPath, 'done', at);
        break;
      case 'task:failed':
        this.#endTask(key, event.taskPath, 'failed', at, {}, event.error);
        break;
      case 'task:cancelled':
      case 'task:waiting':
        this.#endTask(key, event.taskPath, event.type === 'task:waiting' ? 'waiting' : 'cancelled', at);
        break;
      case 'task:skipped':
        this.#startTask(key, event.taskPath, event.kind, at);
        this.#endTask(key, event.taskPath, 'skipped', at);
        break;
      case 'stage:start': {
        const parent = this.#tasks.get(key)?.ctx ?? this.#runContext();
        const span = this.#start(`stage ${event.stage}`, parent, at, {
          ...taskAttributes(event.taskPath, event.kind),
          [ATTR.stage]: event.stage,
        });
        this.#stages.set(key, span);
        break;
      }
      case 'stage:end': {
        const call = this.#calls.get(key);
        if (call && call.endedAt === undefined) {
          // The call failed: no usage came.
          call.span.setStatus({ code: SpanStatusCode.ERROR });
          this.#endCall(key, call, at);
        }
        const stage = this.#stages.get(key);
        if (stage) {
          if (!event.ok) stage.span.setStatus({ code: SpanStatusCode.ERROR });
          stage.span.end(at);
          this.#stages.delete(key);
        }
        break;
      }
      case 'llm:start': {
        const parent = this.#stages.get(key)?.ctx ?? this.#tasks.get(key)?.ctx ?? this.#runContext();
        const span = this.#tracer.startSpan(
          event.model ? `chat ${event.model}` : 'chat',
          {
            kind: SpanKind.CLIENT,
            startTime: at,
            attributes: this.#genAi(event.handler, { requestModel: event.model }),
          },
          parent,
        );
        this.#calls.set(key, {
          span,
          ctx: trace.setSpan(parent, span),
          handler: event.handler,
          model: event.model,
        });
        break;
      }
      case 'llm:usage': {
        const call = this.#calls.get(key);
        if (!call) break;
        call.span.setAttributes(
          this.#genAi(event.handler, {
            requestModel: call.model,
            responseModel: event.model,
            usage: event.usage,
            costUsd: event.costUsd,
          }),
        );
        call.endedAt = at;
        if (!this.#options.graph) this.#endCall(key, call, at);
        break;
      }
    }
  }

  #genAi(
    handler: string,
    facts: Omit<Parameters<typeof genAiAttributes>[0], 'handler' | 'provider'>,
  ): Attributes {
    const provider = this.#options.providers?.[handler] ?? handler;
    return genAiAttributes({ handler, provider, ...facts }, this.#options.captureContent === true);
  }

  #settleCall(key: string, taskPath: readonly string[]): void {
    const call = this.#calls.get(key);
    if (!call || call.endedAt === undefined) return;
    const found = this.#options.graph && lookupTask(this.#options.graph, taskPath);
    if (found && found.task.kind === 'llm') {
      const { task } = found;
      call.span.setAttributes(
        this.#genAi(call.handler, {
          params: task.params,
          requestModel: call.model,
          responseModel: task.model,
          usage: undefined,
          response: task.response?.value as AssistantMessage | undefined,
          prompt: task.prompt?.value as Prompt | undefined,
        }),
      );
    }
    this.#endCall(key, call, call.endedAt);
  }

  #endCall(key: string, call: Call, at: number): void {
    call.span.end(at);
    this.#calls.delete(key);
  }

  #startTask(key: string, taskPath: readonly string[], kind: string, at: number): void {
    if (this.#tasks.has(key)) return;
    const parentKey = keyOf(taskPath.slice(0, -1));
    const parent = this.#tasks.get(parentKey)?.ctx ?? this.#runContext();
    const found = this.#options.graph && lookupTask(this.#options.graph, taskPath);
    const attributes = taskAttributes(taskPath, kind, found ? found.task.createdBy : undefined);
    attributes[ATTR.taskReused] = false;
    this.#tasks.set(key, this.#start(`${kind} ${taskPath[taskPath.length - 1]}`, parent, at, attributes));
  }

  #endTask(
    key: string,
    taskPath: readonly string[],
    status: string,
    at: number,
    attributes: Attributes = {},
    error?: ErrorData,
  ): void {
    const open = this.#tasks.get(key);
    if (!open) return;
    const found = this.#options.graph && lookupTask(this.#options.graph, taskPath);
    if (found) {
      for (const [stage, fingerprint] of Object.entries(taskFingerprints(found.graph, found.task))) {
        attributes[`${ATTR.taskFingerprint}.${stage}`] = fingerprint;
      }
    }
    open.span.setAttributes({ ...attributes, [ATTR.taskStatus]: status });
    if (error) {
      open.span.setAttribute(ATTR.errorType, error.code ?? error.name);
      open.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    open.span.end(at);
    this.#tasks.delete(key);
  }

  #endRun(status: string, at: number): void {
    for (const [key, call] of this.#calls) this.#endCall(key, call, call.endedAt ?? at);
    for (const stage of this.#stages.values()) stage.span.end(at);
    this.#stages.clear();
    for (const task of this.#tasks.values()) {
      task.span.setAttribute(ATTR.taskStatus, status === 'done' ? 'done' : 'cancelled');
      task.span.end(at);
    }
    this.#tasks.clear();
    const run = this.#run;
    if (!run) return;
    run.span.setAttribute(ATTR.runStatus, status);
    if (status === 'failed') run.span.setStatus({ code: SpanStatusCode.ERROR });
    run.span.end(at);
    this.#run = undefined;
  }

  #runContext(): Context {
    return this.#run?.ctx ?? this.#parent;
  }

  #start(name: string, parent: Context, at: number, attributes: Attributes): Open {
    const span = this.#tracer.startSpan(name, { startTime: at, attributes }, parent);
    return { span, ctx: trace.setSpan(parent, span) };
  }
}

function keyOf(taskPath: readonly string[]): string {
  return taskPath.join('\u0000');
}

/** Epoch milliseconds with the sub-millisecond part. */
function now(): number {
  return performance.timeOrigin + performance.now();
}
