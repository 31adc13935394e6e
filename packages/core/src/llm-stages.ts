import { serializeError } from './error-data.js';
import { TaskGraphError } from './errors.js';
import type { GraphRun } from './graph-run.js';
import { callLLM } from './llm-call.js';
import type { AssistantMessage, LLMRequest, LLMResult, LLMUsage, Prompt } from './llm-handler.js';
import { promptToMessages } from './llm-handler.js';
import { responseFingerprint } from './memo.js';
import { parseJsonText } from './parse-json-text.js';
import type { LLMTask } from './task.js';
import { checkOutput, dependencyValues, setFresh } from './task-values.js';
import { ValueSlot } from './value-slot.js';

/**
 * Runs the three memoized stages of an LLM task: prompt, response, output. Each stage is reused when its
 * stored fingerprint still matches, so an edited response re-runs only the parser, and an edited prompt
 * re-calls the LLM. A reply the parser rejects goes back to the model with the error, up to
 * `maxRepairs` times. Resolves to true when every stage was reused.
 */
export async function runLLMTask(run: GraphRun, task: LLMTask): Promise<boolean> {
  const { registry } = run.shared;
  const taskPath = run.taskPath(task);
  const ctx = run.context(task);
  let reused = true;

  const promptDef = registry.get(task.promptFn, taskPath);
  if (!task.prompt || !run.canReuse(task, 'prompt', task.promptFn, promptDef.version)) {
    run.begin(task);
    reused = false;
    task.prompt = ValueSlot.of(await promptDef.fn(ctx, ...(dependencyValues(run, task) as never[])));
    setFresh(task, 'prompt', promptDef.version);
  }

  if (!task.response || !run.canReuse(task, 'response', undefined, undefined)) {
    run.begin(task);
    reused = false;
    const { result, source } = await callLLM(
      run,
      task,
      requestOf(task, task.prompt.value as Prompt),
      responseFingerprint(task),
    );
    task.repairs = [];
    task.usage = undefined;
    task.costUsd = undefined;
    storeResponse(run, task, result, source);
  }

  const parserFn = 'fn' in task.parser ? task.parser.fn : undefined;
  const parserVersion = parserFn === undefined ? undefined : registry.get(parserFn, taskPath).version;
  if (!task.output || !run.canReuse(task, 'output', parserFn, parserVersion)) {
    run.begin(task);
    reused = false;
    task.output = ValueSlot.of(checkOutput(run, task, await parseWithRepairs(run, task)));
    setFresh(task, 'output', parserVersion);
  }
  return reused;
}

/** Parses the stored response; while the parser rejects it and repairs remain, asks the model again. */
async function parseWithRepairs(run: GraphRun, task: LLMTask): Promise<unknown> {
  for (;;) {
    const message = (task.response as ValueSlot).value as AssistantMessage;
    try {
      return await parse(run, task, message);
    } catch (error) {
      if (task.repairs.length >= task.maxRepairs || run.shared.stopped) throw error;
      const prompt = repairPrompt(task, message, error);
      const { result, source } = await callLLM(
        run,
        task,
        requestOf(task, prompt),
        `${responseFingerprint(task)}-repair-${task.repairs.length}`,
      );
      task.repairs.push({
        response: message,
        error: serializeError(error),
        ...(result.usage ? { usage: result.usage } : {}),
      });
      storeResponse(run, task, result, source);
    }
  }
}

async function parse(run: GraphRun, task: LLMTask, message: AssistantMessage): Promise<unknown> {
  const taskPath = run.taskPath(task);
  const text = message.content ?? '';
  if ('fn' in task.parser) {
    return run.shared.registry
      .get(task.parser.fn, taskPath)
      .fn(run.context(task), ...([text, message] as never[]));
  }
  const parsed = task.parser.schema.safeParse(parseJsonText(text, taskPath));
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
    ...promptToMessages((task.prompt as ValueSlot).value as Prompt),
    { role: 'assistant', content: bad.content },
    {
      role: 'user',
      content: `Your reply could not be used: ${problem}${schema}\nReply again with the corrected answer only, nothing else.`,
    },
  ];
}

/** Keeps a response (the first reply or a repair) and adds its usage and cost to the task's. */
function storeResponse(run: GraphRun, task: LLMTask, result: LLMResult, source: 'handler' | 'cache'): void {
  task.response = ValueSlot.of(result.message);
  task.responseSource = source === 'cache' ? 'cache' : undefined;
  task.model = result.model;
  if (source === 'handler') {
    task.usage = addUsage(task.usage, result.usage);
    task.costUsd = addCost(task.costUsd, result.costUsd);
    run.shared.emit?.({
      type: 'llm:usage',
      taskPath: run.taskPath(task),
      handler: task.handler,
      model: result.model,
      usage: result.usage,
      costUsd: result.costUsd,
    });
  }
  setFresh(task, 'response', undefined);
  run.journal(task, true);
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
