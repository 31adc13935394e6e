import type { AssistantMessage, ChatMessage, FunctionRegistry, TaskContext, TaskSpec } from '@taskgraph/core';
import { z } from 'zod';
import type { AssistantRef } from '../shared/assistant.js';
import type { AssistantCall, Continuation } from '../shared/assistant-call.js';
import { addContinuation, resultOf, startAssistant, taskOf } from '../shared/assistant-call.js';
import { jsonOrText, readAssistantMessage } from '../shared/register-assistant-calls.js';
import type { ToolCallRecord } from '../shared/tools.js';
import { toolCallSpec, toolCallText } from '../shared/tools.js';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import { opArgs } from './queue-graph.js';
import { emptyQueueState, parseQueueState, type QueueItem, type QueueState } from './queue-state.js';
import type { SupervisorSettings, SupervisorTurn } from './queue-supervisor.js';
import { handoffToolName, SUPERVISOR_FUNCTIONS } from './queue-supervisor.js';
import { queueRequestFromToolCall } from './queue-tool.js';
import type { QueueRecord } from './run-queue-operation.js';

type SupervisorStart = SupervisorTurn & { settings: SupervisorSettings };
type CallResult = QueueRecord | ToolCallRecord;

/** Registers the supervisor's functions (see addQueueSupervisor); registerQueue calls it. */
export function registerSupervisor(registry: FunctionRegistry): void {
  registry.register(SUPERVISOR_FUNCTIONS.start, (ctx): SupervisorStart => {
    const { settings, messages, tasks, queue } = ctx.args as unknown as {
      settings: SupervisorSettings;
      messages: ChatMessage[];
      tasks: QueueItem[];
      queue?: QueueState;
    };
    addTurn(ctx, settings, [], 1, ctx.taskId);
    const kept = queue
      ? parseQueueState(queue, `addQueueSupervisor: continueFrom.queue of "${ctx.taskId}"`)
      : undefined;
    const state = kept ? { ...kept, pending: [...kept.pending, ...tasks] } : emptyQueueState(tasks);
    return { settings, turn: 0, messages, queue: state, status: 'running' };
  });

  registry.register(
    SUPERVISOR_FUNCTIONS.prompt,
    (ctx, previous: SupervisorTurn, ...results: CallResult[]) => [
      ...previous.messages,
      ...toolMessages(results, ctx.args),
    ],
  );

  // The structured final answer: the conversation, then a request for the answer in the schema.
  registry.register(SUPERVISOR_FUNCTIONS.finalPrompt, (_ctx, last: SupervisorTurn): ChatMessage[] => [
    ...last.messages,
    { role: 'user', content: 'Give your final answer as JSON that follows the response schema.' },
  ]);

  registry.register(SUPERVISOR_FUNCTIONS.read, readAssistantMessage);

  registry.register(
    SUPERVISOR_FUNCTIONS.act,
    (ctx, start: SupervisorStart, previous: SupervisorTurn, ...rest: unknown[]) => {
      const { settings } = start;
      const reply = rest.at(-1) as AssistantMessage;
      const results = rest.slice(0, -1) as CallResult[];
      const queue = results.filter(isQueueRecord).at(-1)?.after ?? previous.queue;
      const messages = [...previous.messages, ...toolMessages(results, ctx.args), reply as ChatMessage];
      const turn = previous.turn + 1;
      const calls = reply.toolCalls ?? [];
      if (calls.length === 0) {
        const done: SupervisorTurn = { turn, messages, queue, status: 'done', answer: reply.content ?? '' };
        if (settings.responseFormat !== undefined) addFinalAnswer(ctx, settings);
        return done;
      }
      if (turn >= settings.maxTurns) return { turn, messages, queue, status: 'max_turns' };
      let queueTask = (ctx.args as { queueTask: string }).queueTask;
      const handoffs: Handoff[] = [];
      const callTasks = calls.map((call, i): string => {
        const id = `call-${i + 1}`;
        const member = settings.members?.find((m) => handoffToolName(m.name) === call.function.name);
        if (member) {
          handoffs.push({
            index: i,
            toolCallId: call.id,
            call: handoffCall(member, id, call.function.arguments),
          });
          return resultOf(id);
        }
        if (call.function.name === settings.queueTool) {
          const request = queueRequestFromToolCall(call);
          const op = ctx.addFunction({
            id,
            fn: QUEUE_FUNCTIONS.op,
            deps: [queueTask],
            args: opArgs(settings.queue, request, settings.onUnfinished),
          });
          queueTask = op.id;
          return op.id;
        }
        const input = jsonOrText(call.function.arguments);
        return ctx.addFunction(
          toolCallSpec(id, { tool: call.function.name, input, toolCallId: call.id }, settings.tools),
        ).id;
      });
      const callIds = Object.fromEntries(handoffs.map((h) => [String(h.index), h.toolCallId]));
      if (handoffs.length === 0) addTurn(ctx, settings, callTasks, turn + 1, queueTask);
      else {
        // Members work one after the other; the last one's answer starts the next turn.
        const next: Continuation[] = turnSpecs(
          ctx.taskId,
          settings,
          callTasks,
          turn + 1,
          queueTask,
          callIds,
        ).map((spec) => ({ spec }));
        const chain = handoffs.reduceRight<Continuation[]>(
          (next, h) => [{ call: { ...h.call, next } }],
          next,
        );
        for (const item of chain) if ('call' in item) startAssistant(ctx, item.call);
      }
      return { turn, messages, queue, status: 'running' } satisfies SupervisorTurn;
    },
  );
}

/** Adds turn `turn`: the LLM call on the conversation so far, then the task that acts on its reply. */
function addTurn(
  ctx: TaskContext,
  settings: SupervisorSettings,
  results: string[],
  turn: number,
  queueTask: string,
) {
  const specs = turnSpecs(ctx.taskId, settings, results, turn, queueTask, {});
  addContinuation(
    ctx,
    specs.map((spec) => ({ spec })),
  );
}

/**
 * The specs of turn `turn`, after the task `previous`: the LLM call (on the conversation and the
 * results of the calls), then the act task. `callIds`: the tool call id of each result that is a
 * member's answer, by its position.
 */
function turnSpecs(
  previous: string,
  settings: SupervisorSettings,
  results: string[],
  turn: number,
  queueTask: string,
  callIds: Record<string, string>,
): TaskSpec[] {
  const handoffs = Object.keys(callIds).length > 0 ? { callIds } : {};
  return [
    {
      kind: 'llm',
      id: `llm-${turn}`,
      prompt: SUPERVISOR_FUNCTIONS.prompt,
      parser: SUPERVISOR_FUNCTIONS.read,
      deps: [previous, ...results],
      params: settings.params,
      handler: settings.handler,
      ...(Object.keys(handoffs).length > 0 ? { args: handoffs } : {}),
    },
    {
      kind: 'function',
      id: `act-${turn}`,
      fn: SUPERVISOR_FUNCTIONS.act,
      deps: [settings.queue, previous, ...results, taskOf(`llm-${turn}`)],
      args: { queueTask, ...handoffs },
    },
  ] as TaskSpec[];
}

/** The structured final answer's LLM task: the schema as its parser (the handler asks for JSON in it). */
function addFinalAnswer(ctx: TaskContext, settings: SupervisorSettings): void {
  const { tools: _tools, ...params } = settings.params;
  ctx.addLLM({
    id: 'final',
    prompt: SUPERVISOR_FUNCTIONS.finalPrompt,
    parser: z.fromJSONSchema(settings.responseFormat as Parameters<typeof z.fromJSONSchema>[0]),
    deps: [ctx.taskId],
    params,
    handler: settings.handler,
  });
}

interface Handoff {
  index: number;
  toolCallId: string;
  call: Omit<AssistantCall, 'next'>;
}

function handoffCall(member: AssistantRef, id: string, argsText: string): Omit<AssistantCall, 'next'> {
  const args = jsonOrText(argsText);
  const task =
    typeof args === 'object' && args !== null && !Array.isArray(args) && typeof args.task === 'string'
      ? args.task
      : typeof args === 'string'
        ? args
        : JSON.stringify(args);
  return { assistant: member, id, input: { task, messages: [{ role: 'user', content: task }] } };
}

/** The tool messages of a turn's call results; a member's answer is tied to its call id by position. */
function toolMessages(results: readonly unknown[], args: unknown): ChatMessage[] {
  const callIds = (args as { callIds?: Record<string, string> } | undefined)?.callIds ?? {};
  return results.map((result, i) => {
    const toolCallId = callIds[String(i)];
    if (toolCallId === undefined) return toolMessage(result as CallResult);
    const content = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { role: 'tool', content, toolCallId };
  });
}

function toolMessage(result: CallResult): ChatMessage {
  const content = isQueueRecord(result) ? result.message : toolCallText(result);
  return { role: 'tool', content, ...(result.toolCallId ? { toolCallId: result.toolCallId } : {}) };
}

function isQueueRecord(result: unknown): result is QueueRecord {
  return typeof result === 'object' && result !== null && 'seq' in result && 'after' in result;
}
