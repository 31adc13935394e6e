import type { ZodType } from 'zod';
import { serializeError } from '../error-data.js';
import { InvalidTraceError, TaskGraphError } from '../errors.js';
import type { JsonValue, StoredValue } from '../json-value.js';
import { keepShape, SHAPE_DEFINITION, SHAPE_PLACEHOLDER } from '../keep-shape.js';
import type { AssistantMessage, LLMParams, LLMRequest, LLMResult, LLMUsage, Prompt } from '../llm-handler.js';
import { promptToMessages } from '../llm-handler.js';
import { checkOutputValue } from '../output-check.js';
import { parseJsonText } from '../parse-json-text.js';
import { count, functionId, isZodSchema, jsonObject, schemaToJson, stringField } from '../spec-checks.js';
import { Task, type TaskDefinition } from '../task.js';
import type { StageAcceptEnv, StageDescriptor, StageWork, TaskKindDescriptor } from '../task-kind.js';

/** The default LLM handler id. */
export const DEFAULT_HANDLER = 'openai';

/** Parser of an LLM task: a registered function's id, or a zod schema applied to the reply parsed as JSON. */
export type LLMParser = { fn: string } | { schema: ZodType; schemaJson: JsonValue };

/** A reply that failed the parser, kept in the trace as part of its task. */
export interface RepairAttempt {
  response: AssistantMessage;
  error: ReturnType<typeof serializeError>;
  usage?: LLMUsage;
}

export interface LLMTaskOptions {
  promptFn: string;
  parser: LLMParser;
  handler: string;
  params: LLMParams;
  /** How many times a reply that fails its parser is sent back to the model with the error. */
  maxRepairs: number;
}

/** An LLM task: prompt formatter, then the LLM handler, then the output parser, three memoized stages. */
export class LLMTask<O = unknown> extends Task<O> {
  readonly kind = 'llm';
  readonly promptFn: string;
  readonly parser: LLMParser;
  readonly handler: string;
  readonly params: LLMParams;
  readonly maxRepairs: number;

  prompt: StoredValue | undefined;
  response: StoredValue | undefined;
  usage: LLMUsage | undefined;
  model: string | undefined;
  /** USD; null when the handler knew no price for the model. */
  costUsd: number | null | undefined;
  /** Replies that failed the parser and were sent back for repair, in order, with the error each gave. */
  repairs: RepairAttempt[] = [];
  /** Where the stored response came from when it was not a call (a response cache). */
  responseSource: 'cache' | undefined;

  constructor(def: TaskDefinition, options: LLMTaskOptions) {
    super(def);
    this.promptFn = options.promptFn;
    this.parser = options.parser;
    this.handler = options.handler;
    this.params = options.params;
    this.maxRepairs = options.maxRepairs;
  }

  get descriptor(): TaskKindDescriptor {
    return llmKind as unknown as TaskKindDescriptor;
  }

  protected override adoptStages(other: Task): void {
    if (!(other instanceof LLMTask)) return;
    this.prompt = other.prompt;
    this.response = other.response;
    this.usage = other.usage;
    this.model = other.model;
    this.costUsd = other.costUsd;
    this.repairs = other.repairs;
    this.responseSource = other.responseSource;
  }

  cloneDefinition(): LLMTask<O> {
    const { promptFn, parser, handler, params, maxRepairs } = this;
    return new LLMTask<O>(this.definition(), { promptFn, parser, handler, params, maxRepairs });
  }

  override reset(): void {
    super.reset();
    this.prompt = undefined;
    this.response = undefined;
    this.usage = undefined;
    this.model = undefined;
    this.costUsd = undefined;
    this.repairs = [];
    this.responseSource = undefined;
  }
}

const parserFn = (task: LLMTask) => ('fn' in task.parser ? task.parser.fn : undefined);

const prompt: StageDescriptor<LLMTask> = {
  stage: 'prompt',
  changed: 'a dependency output, the graph input or its args were edited',
  inRecord: true,
  fnId: (task) => task.promptFn,
  fingerprint: (task, parts, version) => ['prompt', task.promptFn, version, parts.upstream()],
  get: (task) => task.prompt,
  put: (task, value) => {
    task.prompt = value;
  },
  work: (task, env) => ({ type: 'function', fn: task.promptFn, args: env.dependencyValues() }),
  // A formatter may return one message: it is kept as a list of one.
  accept: (task, value, env) => {
    if (isPrompt(value)) return value;
    if (isMessageList([value])) return [value];
    throw new TaskGraphError(
      'OUTPUT_INVALID',
      `TaskGraph.run: the prompt formatter "${task.promptFn}" of task "${env.taskPath.join(' > ')}" returned ${describeValue(value)}; ${PROMPT_SHAPE}.`,
      { taskPath: env.taskPath },
    );
  },
  edit(_task, value, taskPath) {
    if (isPrompt(value)) return value;
    throw invalidEdit(PROMPT_SHAPE, taskPath);
  },
};

const response: StageDescriptor<LLMTask> = {
  stage: 'response',
  changed: 'its prompt or params were edited',
  inRecord: true,
  fnId: () => undefined,
  // Handler, params, prompt and (for a schema parser) the schema: also the key of the response cache.
  fingerprint(task, parts) {
    const list = ['response', task.handler, parts.canonical(task.params), parts.value(task.prompt)];
    if ('schema' in task.parser) list.push(parts.json(task.parser.schemaJson));
    return list;
  },
  get: (task) => task.response,
  put: (task, value) => {
    task.response = value;
  },
  work: (task, env) => ({
    type: 'llm',
    handler: task.handler,
    request: requestOf(task, (task.prompt as StoredValue).value as Prompt),
    cacheKey: env.fingerprint('response'),
  }),
  accept(task, value, env) {
    task.repairs = [];
    task.usage = undefined;
    task.costUsd = undefined;
    return keepResult(task, value as LLMResult, env);
  },
  edit: (_task, value, taskPath) => toAssistantMessage(value, taskPath),
};

const output: StageDescriptor<LLMTask> = {
  stage: 'output',
  changed: 'its response was edited',
  inRecord: true,
  fnId: parserFn,
  fingerprint: (task, parts, version) =>
    'fn' in task.parser
      ? ['output', task.parser.fn, version, parts.value(task.response), parts.input()]
      : ['output', 'schema', parts.json(task.parser.schemaJson), parts.value(task.response)],
  get: (task) => task.output,
  put: (task, value) => {
    task.output = value;
  },
  work(task, env): StageWork {
    const message = (task.response as StoredValue).value as AssistantMessage;
    const text = message.content ?? '';
    if ('fn' in task.parser) return { type: 'function', fn: task.parser.fn, args: [text, message] };
    const { schema } = task.parser;
    return { type: 'local', run: () => parseWithSchema(schema, text, env.taskPath) };
  },
  accept: (task, value, env) => (task.schema ? checkOutputValue(task, env.taskPath, value) : value),
  // A reply the parser rejects goes back to the model with the error, up to `maxRepairs` times.
  repair(task, error, env) {
    if (task.repairs.length >= task.maxRepairs) return undefined;
    const bad = (task.response as StoredValue).value as AssistantMessage;
    return {
      stage: 'response',
      work: {
        type: 'llm',
        handler: task.handler,
        request: requestOf(task, repairPrompt(task, bad, error)),
        cacheKey: `${env.fingerprint('response')}-repair-${task.repairs.length}`,
      },
      accept(task, value, acceptEnv) {
        const result = value as LLMResult;
        task.repairs.push({
          response: bad,
          error: serializeError(error),
          ...(result.usage ? { usage: result.usage } : {}),
        });
        return keepResult(task, result, acceptEnv);
      },
    };
  },
  edit: (task, value, taskPath) => checkOutputValue(task, taskPath, value),
};

export const llmKind: TaskKindDescriptor<LLMTask> = {
  kind: 'llm',
  stages: [prompt, response, output],
  callsLLM: true,
  fromSpec(spec, def, where) {
    const parser = parserOf(spec.parser, `${where}: \`parser\``);
    return new LLMTask(def, {
      promptFn: functionId(spec.prompt, where, '`prompt`'),
      parser,
      handler:
        spec.handler === undefined ? DEFAULT_HANDLER : stringField(spec.handler, `${where}: \`handler\``),
      params: jsonObject(spec.params, `${where}: \`params\``),
      maxRepairs:
        spec.maxRepairs === undefined
          ? defaultRepairs(parser)
          : count(spec.maxRepairs, `${where}: \`maxRepairs\``),
    });
  },
  fromRecord(record, def, reader) {
    const stored = record.parser as string | { schema: unknown };
    const parser: LLMParser =
      typeof stored === 'string'
        ? { fn: stored }
        : {
            schema: reader.zod(stored.schema, `${reader.at}.parser.schema`),
            schemaJson: stored.schema as JsonValue,
          };
    const task = new LLMTask(def, {
      promptFn: record.promptFn as string,
      parser,
      handler: record.handler as string,
      params: (record.params as LLMParams | undefined) ?? {},
      maxRepairs: (record.maxRepairs as number | undefined) ?? defaultRepairs(parser),
    });
    const meta = record.meta as { prompt?: unknown; response?: unknown } | undefined;
    if (record.prompt !== undefined || meta?.prompt) {
      if (meta?.prompt === undefined && !isPrompt(record.prompt))
        throw invalidRecord(reader.at, 'prompt', PROMPT_SHAPE);
      task.prompt = reader.value(record.prompt, meta?.prompt);
    }
    if (record.response !== undefined || meta?.response) {
      // A response written by hand as plain text is the assistant message with that content.
      const message =
        typeof record.response === 'string'
          ? { role: 'assistant', content: record.response }
          : record.response;
      if (meta?.response === undefined && !isAssistantMessage(message))
        throw invalidRecord(reader.at, 'response', RESPONSE_SHAPE);
      task.response = reader.value(message, meta?.response);
    }
    task.usage = record.usage as LLMUsage | undefined;
    task.model = record.model as string | undefined;
    task.costUsd = record.costUsd as number | null | undefined;
    task.repairs = (record.repairs as RepairAttempt[] | undefined) ?? [];
    task.responseSource = record.responseSource as 'cache' | undefined;
    return task;
  },
  writeDefinition(task, record) {
    record.promptFn = task.promptFn;
    record.parser = 'fn' in task.parser ? task.parser.fn : { schema: task.parser.schemaJson };
    record.handler = task.handler;
    if (Object.keys(task.params).length > 0) record.params = task.params;
    if (task.maxRepairs !== defaultRepairs(task.parser)) record.maxRepairs = task.maxRepairs;
  },
  writeState(task, record) {
    if (task.usage) record.usage = task.usage;
    if (task.model !== undefined) record.model = task.model;
    if (task.costUsd !== undefined) record.costUsd = task.costUsd;
    if (task.repairs.length > 0) record.repairs = task.repairs;
    if (task.responseSource) record.responseSource = task.responseSource;
  },
  functionIds: (task) => [task.promptFn, ...('fn' in task.parser ? [task.parser.fn] : [])],
};

function defaultRepairs(parser: LLMParser): number {
  return 'schema' in parser ? 1 : 0;
}

function parserOf(parser: unknown, where: string): LLMParser {
  if (parser === undefined) return { fn: 'builtin.text' };
  if (isZodSchema(parser, where)) return { schema: parser, schemaJson: schemaToJson(parser, where) };
  return { fn: functionId(parser, where) };
}

/** Keeps a response (the first reply or a repair) and adds its usage and cost to the task's. */
function keepResult(task: LLMTask, result: LLMResult, env: StageAcceptEnv): AssistantMessage {
  const fromCache = env.llm?.source === 'cache';
  task.responseSource = fromCache ? 'cache' : undefined;
  task.model = result.model;
  if (!fromCache) {
    task.usage = addUsage(task.usage, result.usage);
    task.costUsd = addCost(task.costUsd, result.costUsd);
  }
  return result.message;
}

function parseWithSchema(schema: ZodType, text: string, taskPath: readonly string[]): unknown {
  const parsed = schema.safeParse(parseJsonText(text, taskPath));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new TaskGraphError(
    'OUTPUT_PARSE',
    `TaskGraph.run: the reply of task "${taskPath.join(' > ')}" fails its schema: ${issue?.message ?? 'invalid'}${at}.`,
    { taskPath },
  );
}

function requestOf(task: LLMTask, prompt: Prompt): LLMRequest {
  const request: LLMRequest = { prompt, params: task.params };
  if ('schema' in task.parser) request.schema = { name: schemaName(task.id), schema: task.parser.schemaJson };
  return request;
}

/** The conversation so far, the rejected reply, and what was wrong with it. */
function repairPrompt(task: LLMTask, bad: AssistantMessage, error: unknown): Prompt {
  const problem = error instanceof Error ? error.message : String(error);
  const schema =
    'schema' in task.parser
      ? `\nIt must be JSON matching this JSON Schema:\n${JSON.stringify(task.parser.schemaJson)}`
      : '';
  return [
    ...promptToMessages((task.prompt as StoredValue).value as Prompt),
    { role: 'assistant', content: bad.content },
    {
      role: 'user',
      content: `Your reply could not be used: ${problem}${schema}\nReply again with the corrected answer only, nothing else.`,
    },
  ];
}

function addUsage(a: LLMUsage | undefined, b: LLMUsage | undefined): LLMUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** A cost unknown for one call (null) is unknown for the task. */
function addCost(a: number | null | undefined, b: number | null | undefined): number | null | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a === null || b === null ? null : a + b;
}

function schemaName(taskId: string): string {
  return taskId.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'output';
}

function isMessageList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (m) =>
        m &&
        typeof m === 'object' &&
        typeof m.role === 'string' &&
        (typeof m.content === 'string' || m.content === null),
    )
  );
}

const PROMPT_SHAPE = 'a prompt is a string or a list of messages ({ role, content })';
const RESPONSE_SHAPE = 'a response is the reply text or an assistant message { role: "assistant", content }';

function isPrompt(value: unknown): boolean {
  return typeof value === 'string' || isMessageList(value);
}

function isAssistantMessage(value: unknown): boolean {
  const message = value as { role?: unknown; content?: unknown } | null;
  return (
    message !== null &&
    typeof message === 'object' &&
    !Array.isArray(message) &&
    message.role === 'assistant' &&
    (typeof message.content === 'string' || message.content === null)
  );
}

function toAssistantMessage(value: unknown, taskPath: readonly string[]): unknown {
  if (typeof value === 'string') return { role: 'assistant', content: value };
  if (isAssistantMessage(value)) return value;
  throw invalidEdit(RESPONSE_SHAPE, taskPath);
}

function invalidRecord(at: string, field: string, shape: string): InvalidTraceError {
  return new InvalidTraceError('TaskGraph.fromJSON', { path: `${at}.${field}`, problem: `${shape}.` });
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return String(typeof value === 'string' ? `"${value}"` : value);
  return Array.isArray(value) ? 'a list that is not of messages' : 'an object that is not a message';
}

function invalidEdit(problem: string, taskPath: readonly string[]): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `editTrace: ${problem} (task "${taskPath.join(' > ')}").`, {
    taskPath,
  });
}

keepShape(
  new LLMTask(SHAPE_DEFINITION, {
    promptFn: '',
    parser: SHAPE_PLACEHOLDER as LLMParser,
    handler: '',
    params: {},
    maxRepairs: 0,
  }),
);
