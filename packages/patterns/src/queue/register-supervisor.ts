import type {
  AssistantMessage,
  ChatMessage,
  FunctionRegistry,
  JsonValue,
  TaskContext,
  TaskRef,
} from '@taskgraph/core';
import type { ToolCallRecord } from '../shared/tools.js';
import { toolCallSpec, toolCallText } from '../shared/tools.js';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import { opArgs } from './queue-graph.js';
import { emptyQueueState, type QueueItem } from './queue-state.js';
import type { SupervisorSettings, SupervisorTurn } from './queue-supervisor.js';
import { SUPERVISOR_FUNCTIONS } from './queue-supervisor.js';
import { queueRequestFromToolCall } from './queue-tool.js';
import type { QueueRecord } from './run-queue-operation.js';

type SupervisorStart = SupervisorTurn & { settings: SupervisorSettings };
type CallResult = QueueRecord | ToolCallRecord;

/** Registers the supervisor's functions (see addQueueSupervisor); registerQueue calls it. */
export function registerSupervisor(registry: FunctionRegistry): void {
  registry.register(SUPERVISOR_FUNCTIONS.start, (ctx): SupervisorStart => {
    const { settings, messages, tasks } = ctx.args as unknown as {
      settings: SupervisorSettings;
      messages: ChatMessage[];
      tasks: QueueItem[];
    };
    addTurn(ctx, settings, [], 1, ctx.taskId);
    return { settings, turn: 0, messages, queue: emptyQueueState(tasks), status: 'running' };
  });

  registry.register(
    SUPERVISOR_FUNCTIONS.prompt,
    (_ctx, previous: SupervisorTurn, ...results: CallResult[]) => [
      ...previous.messages,
      ...results.map(toolMessage),
    ],
  );

  registry.register(
    SUPERVISOR_FUNCTIONS.read,
    (_ctx, _text: string, message: AssistantMessage): AssistantMessage => ({
      role: 'assistant',
      content: message.content,
      ...(message.toolCalls?.length ? { toolCalls: message.toolCalls } : {}),
    }),
  );

  registry.register(
    SUPERVISOR_FUNCTIONS.act,
    (ctx, start: SupervisorStart, previous: SupervisorTurn, ...rest: unknown[]) => {
      const { settings } = start;
      const reply = rest.at(-1) as AssistantMessage;
      const results = rest.slice(0, -1) as CallResult[];
      const queue = results.filter(isQueueRecord).at(-1)?.after ?? previous.queue;
      const messages = [...previous.messages, ...results.map(toolMessage), reply as ChatMessage];
      const turn = previous.turn + 1;
      const calls = reply.toolCalls ?? [];
      if (calls.length === 0) return { turn, messages, queue, status: 'done', answer: reply.content ?? '' };
      if (turn >= settings.maxTurns) return { turn, messages, queue, status: 'max_turns' };
      let queueTask = (ctx.args as { queueTask: string }).queueTask;
      const callTasks = calls.map((call, i): TaskRef => {
        const id = `call-${i + 1}`;
        if (call.function.name === settings.queueTool) {
          const request = queueRequestFromToolCall(call);
          const op = ctx.addFunction({
            id,
            fn: QUEUE_FUNCTIONS.op,
            deps: [queueTask],
            args: opArgs(settings.queue, request, settings.onUnfinished),
          });
          queueTask = op.id;
          return op;
        }
        const input = jsonOrText(call.function.arguments);
        return ctx.addFunction(
          toolCallSpec(id, { tool: call.function.name, input, toolCallId: call.id }, settings.tools),
        );
      });
      addTurn(
        ctx,
        settings,
        callTasks.map((task) => task.id),
        turn + 1,
        queueTask,
      );
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
  const previous = ctx.taskId;
  const llm = ctx.addLLM({
    id: `llm-${turn}`,
    prompt: SUPERVISOR_FUNCTIONS.prompt,
    parser: SUPERVISOR_FUNCTIONS.read,
    deps: [previous, ...results],
    params: settings.params,
    handler: settings.handler,
  });
  ctx.addFunction({
    id: `act-${turn}`,
    fn: SUPERVISOR_FUNCTIONS.act,
    deps: [settings.queue, previous, ...results, llm],
    args: { queueTask },
  });
}

function toolMessage(result: CallResult): ChatMessage {
  const content = isQueueRecord(result) ? result.message : toolCallText(result);
  return { role: 'tool', content, ...(result.toolCallId ? { toolCallId: result.toolCallId } : {}) };
}

function isQueueRecord(result: CallResult): result is QueueRecord {
  return 'seq' in result && 'after' in result;
}

function jsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text || '{}') as JsonValue;
  } catch {
    return text;
  }
}
