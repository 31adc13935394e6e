import { TaskGraphError } from './errors.js';
import type { GraphRun } from './graph-run.js';
import type { AssistantMessage, LLMResult } from './llm-handler.js';
import { parseJsonText } from './parse-json-text.js';
import type { LLMTask } from './task.js';
import { checkOutput, dependencyValues, setFresh } from './task-values.js';
import { ValueSlot } from './value-slot.js';

/**
 * Runs the three memoized stages of an LLM task: prompt, response, output. Each stage is reused when its
 * stored fingerprint still matches, so an edited response re-runs only the parser, and an edited prompt
 * re-calls the LLM. Resolves to true when every stage was reused.
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
    if (run.shared.options.replayOnly) {
      throw new TaskGraphError(
        'REPLAY_MISS',
        `TaskGraph.run: task "${taskPath.join(' > ')}" needs an LLM call, and the run is replay-only. Its stored response is missing or no longer matches its prompt and params.`,
        { taskPath },
      );
    }
    run.begin(task);
    reused = false;
    const handler = registry.handler(task.handler, taskPath);
    const request = { prompt: task.prompt.value as never, params: task.params };
    const call = () => handler.call(request, { signal: run.shared.signal, taskPath });
    const result = checkResult(await run.shared.llmLimit(call), task.handler, taskPath);
    run.shared.recordCall(handler, result);
    task.response = ValueSlot.of(result.message);
    task.usage = result.usage;
    task.model = result.model;
    task.costUsd = result.costUsd;
    setFresh(task, 'response', undefined);
    run.journal(task, true);
    run.shared.emit?.({
      type: 'llm:usage',
      taskPath,
      handler: task.handler,
      model: result.model,
      usage: result.usage,
      costUsd: result.costUsd,
    });
  }

  const parserFn = 'fn' in task.parser ? task.parser.fn : undefined;
  const parserVersion = parserFn === undefined ? undefined : registry.get(parserFn, taskPath).version;
  if (!task.output || !run.canReuse(task, 'output', parserFn, parserVersion)) {
    run.begin(task);
    reused = false;
    const message = task.response.value as AssistantMessage;
    const text = message.content ?? '';
    let output: unknown;
    if ('fn' in task.parser) {
      output = await registry.get(task.parser.fn, taskPath).fn(ctx, ...([text, message] as never[]));
    } else {
      const parsed = task.parser.schema.safeParse(parseJsonText(text, taskPath));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new TaskGraphError(
          'OUTPUT_PARSE',
          `TaskGraph.run: the reply of task "${taskPath.join(' > ')}" fails its schema: ${issue?.message ?? 'invalid'}${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}.`,
          { taskPath },
        );
      }
      output = parsed.data;
    }
    task.output = ValueSlot.of(checkOutput(run, task, output));
    setFresh(task, 'output', parserVersion);
  }
  return reused;
}

function checkResult(result: LLMResult, handler: string, taskPath: readonly string[]): LLMResult {
  const message = result?.message;
  const validContent = typeof message?.content === 'string' || message?.content === null;
  if (message?.role !== 'assistant' || !validContent) {
    throw new TaskGraphError(
      'LLM_CALL_FAILED',
      `TaskGraph.run: LLM handler "${handler}" returned no assistant message for task "${taskPath.join(' > ')}". A handler must resolve to { message: { role: "assistant", content } }.`,
      { taskPath },
    );
  }
  return result;
}
