import type { ZodType } from 'zod';
import { TaskGraphError } from '../errors.js';
import type { JsonValue, StoredValue } from '../json-value.js';
import { isPlainJson } from '../json-value.js';
import { keepShape, SHAPE_DEFINITION, SHAPE_PLACEHOLDER } from '../keep-shape.js';
import { checkOutputValue } from '../output-check.js';
import { parseJsonText } from '../parse-json-text.js';
import { count, functionId, isZodSchema, schemaToJson } from '../spec-checks.js';
import { Task, type TaskDefinition } from '../task.js';
import type { HumanQuestion, StageDescriptor, StageWork, TaskKindDescriptor } from '../task-kind.js';

/** How a human task's answer becomes its output: a registered parser, a zod schema, or the answer as it is. */
export type AnswerParser = { fn: string } | { schema: ZodType; schemaJson: JsonValue } | { none: true };

export interface HumanTaskOptions {
  questionFn: string;
  parser: AnswerParser;
  /** The answer an unattended run takes once the question's deadline has passed (or at once, unattended). */
  defaultAnswer: JsonValue | undefined;
  /** How long the question may wait for an answer, in ms from when it was first asked. */
  deadlineMs: number | undefined;
}

/**
 * A task that asks a person: its question is formatted from its dependencies, its answer comes from a
 * person (the CLI, the viewer, `answerTask`, or the run's `answer` callback), its output is parsed from
 * the answer. Three memoized stages, as an LLM task has: the answer is a stored, editable value, so a
 * replay reuses it and an edited answer re-runs only what depends on it.
 */
export class HumanTask<O = unknown> extends Task<O> {
  readonly kind = 'human';
  readonly questionFn: string;
  readonly parser: AnswerParser;
  readonly defaultAnswer: JsonValue | undefined;
  readonly deadlineMs: number | undefined;

  question: StoredValue | undefined;
  answer: StoredValue | undefined;
  /** Epoch ms when the question was first asked (its deadline counts from then). */
  askedAt: number | undefined;

  constructor(def: TaskDefinition, options: HumanTaskOptions) {
    super(def);
    this.questionFn = options.questionFn;
    this.parser = options.parser;
    this.defaultAnswer = options.defaultAnswer;
    this.deadlineMs = options.deadlineMs;
  }

  get descriptor(): TaskKindDescriptor {
    return humanKind as unknown as TaskKindDescriptor;
  }

  cloneDefinition(): HumanTask<O> {
    const { questionFn, parser, defaultAnswer, deadlineMs } = this;
    return new HumanTask<O>(this.definition(), { questionFn, parser, defaultAnswer, deadlineMs });
  }

  protected override adoptStages(other: Task): void {
    if (!(other instanceof HumanTask)) return;
    this.question = other.question;
    this.answer = other.answer;
    this.askedAt = other.askedAt;
  }

  override reset(): void {
    super.reset();
    this.question = undefined;
    this.answer = undefined;
    this.askedAt = undefined;
  }
}

const question: StageDescriptor<HumanTask> = {
  stage: 'question',
  changed: 'a dependency output, the graph input or its args were edited',
  inRecord: true,
  fnId: (task) => task.questionFn,
  fingerprint: (task, parts, version) => ['question', task.questionFn, version, parts.upstream()],
  get: (task) => task.question,
  put: (task, value) => {
    task.question = value;
  },
  work: (task, env) => ({ type: 'function', fn: task.questionFn, args: env.dependencyValues() }),
  edit: (_task, value) => value,
};

const answer: StageDescriptor<HumanTask> = {
  stage: 'answer',
  changed: 'its question changed',
  inRecord: true,
  fnId: () => undefined,
  // A changed question asks again.
  fingerprint: (task, parts) => ['answer', parts.value(task.question)],
  get: (task) => task.answer,
  put: (task, value) => {
    task.answer = value;
  },
  work(task, env): StageWork {
    task.askedAt ??= Date.now();
    const asked: HumanQuestion = { taskPath: env.taskPath, question: (task.question as StoredValue).value };
    if ('schema' in task.parser) asked.schema = task.parser.schemaJson;
    return {
      type: 'human',
      question: asked,
      ...(task.defaultAnswer === undefined ? {} : { defaultAnswer: task.defaultAnswer }),
      ...(task.deadlineMs === undefined ? {} : { deadline: task.askedAt + task.deadlineMs }),
    };
  },
  // An answer is checked before it is stored: one that the schema refuses is never kept.
  accept: (task, value, env) => checkAnswer('TaskGraph.run', task, value, env.taskPath),
  edit: (task, value, taskPath) => checkAnswer('answerTask', task, value, taskPath),
};

const output: StageDescriptor<HumanTask> = {
  stage: 'output',
  changed: 'its answer was edited',
  inRecord: true,
  fnId: (task) => ('fn' in task.parser ? task.parser.fn : undefined),
  fingerprint: (task, parts, version) =>
    'fn' in task.parser
      ? ['output', task.parser.fn, version, parts.value(task.answer), parts.input()]
      : 'schema' in task.parser
        ? ['output', 'schema', parts.json(task.parser.schemaJson), parts.value(task.answer)]
        : ['output', 'answer', parts.value(task.answer)],
  get: (task) => task.output,
  put: (task, value) => {
    task.output = value;
  },
  work(task, env): StageWork {
    const given = (task.answer as StoredValue).value;
    if ('fn' in task.parser) return { type: 'function', fn: task.parser.fn, args: [given] };
    return { type: 'local', run: () => parseAnswer('TaskGraph.run', task, given, env.taskPath) };
  },
  accept: (task, value, env) => (task.schema ? checkOutputValue(task, env.taskPath, value) : value),
  edit: (task, value, taskPath) => checkOutputValue(task, taskPath, value),
};

export const humanKind: TaskKindDescriptor<HumanTask> = {
  kind: 'human',
  stages: [question, answer, output],
  callsLLM: false,
  fromSpec(spec, def, where) {
    if (spec.default !== undefined && !isPlainJson(spec.default)) {
      throw new TaskGraphError('INVALID_ARGUMENT', `${where}: \`default\` must be JSON.`);
    }
    return new HumanTask(def, {
      questionFn: functionId(spec.question, where, '`question`'),
      parser: parserOf(spec.parser, `${where}: \`parser\``),
      defaultAnswer: spec.default as JsonValue | undefined,
      deadlineMs:
        spec.deadlineMs === undefined ? undefined : count(spec.deadlineMs, `${where}: \`deadlineMs\``),
    });
  },
  fromRecord(record, def, reader) {
    const stored = record.parser as string | { schema: unknown } | undefined;
    const parser: AnswerParser =
      stored === undefined
        ? { none: true }
        : typeof stored === 'string'
          ? { fn: stored }
          : {
              schema: reader.zod(stored.schema, `${reader.at}.parser.schema`),
              schemaJson: stored.schema as JsonValue,
            };
    const task = new HumanTask(def, {
      questionFn: record.questionFn as string,
      parser,
      defaultAnswer: record.default as JsonValue | undefined,
      deadlineMs: record.deadlineMs as number | undefined,
    });
    const meta = record.meta as { question?: unknown; answer?: unknown } | undefined;
    if (record.question !== undefined || meta?.question)
      task.question = reader.value(record.question, meta?.question);
    if (record.answer !== undefined || meta?.answer) task.answer = reader.value(record.answer, meta?.answer);
    task.askedAt = record.askedAt as number | undefined;
    return task;
  },
  writeDefinition(task, record) {
    record.questionFn = task.questionFn;
    if ('fn' in task.parser) record.parser = task.parser.fn;
    else if ('schema' in task.parser) record.parser = { schema: task.parser.schemaJson };
    if (task.defaultAnswer !== undefined) record.default = task.defaultAnswer;
    if (task.deadlineMs !== undefined) record.deadlineMs = task.deadlineMs;
  },
  writeState(task, record) {
    if (task.askedAt !== undefined) record.askedAt = task.askedAt;
  },
  functionIds: (task) => [task.questionFn, ...('fn' in task.parser ? [task.parser.fn] : [])],
};

function parserOf(parser: unknown, where: string): AnswerParser {
  if (parser === undefined) return { none: true };
  if (isZodSchema(parser, where)) return { schema: parser, schemaJson: schemaToJson(parser, where) };
  return { fn: functionId(parser, where) };
}

/** The answer as the schema parser reads it: the value itself, or a text that holds JSON. */
function parseAnswer(api: string, task: HumanTask, given: unknown, taskPath: readonly string[]): unknown {
  if (!('schema' in task.parser)) return given;
  const direct = task.parser.schema.safeParse(given);
  if (direct.success) return direct.data;
  if (typeof given === 'string') {
    const fromText = task.parser.schema.safeParse(jsonOrUndefined(given, taskPath));
    if (fromText.success) return fromText.data;
  }
  const issue = direct.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new TaskGraphError(
    'ANSWER_INVALID',
    `${api}: the answer to task "${taskPath.join(' > ')}" fails its schema: ${issue?.message ?? 'invalid'}${at}. Answer again with a value the schema accepts.`,
    { taskPath },
  );
}

/** Refuses an answer the task's schema parser cannot read; any other answer must be JSON. */
function checkAnswer(api: string, task: HumanTask, value: unknown, taskPath: readonly string[]): unknown {
  if (value === undefined || !isPlainJson(value)) {
    throw new TaskGraphError(
      'ANSWER_INVALID',
      `${api}: the answer to task "${taskPath.join(' > ')}" must be JSON (a string, number, boolean, null, array or object).`,
      { taskPath },
    );
  }
  if ('schema' in task.parser) parseAnswer(api, task, value, taskPath);
  return value;
}

/** A text answer read as JSON; undefined when it is not JSON (the schema then refuses it as ANSWER_INVALID). */
function jsonOrUndefined(text: string, taskPath: readonly string[]): unknown {
  try {
    return parseJsonText(text, taskPath);
  } catch {
    return undefined;
  }
}

keepShape(
  new HumanTask(SHAPE_DEFINITION, {
    questionFn: '',
    parser: SHAPE_PLACEHOLDER as AnswerParser,
    defaultAnswer: undefined,
    deadlineMs: undefined,
  }),
);
