import type {
  AssistantMessage,
  ChatMessage,
  FunctionRegistry,
  JsonValue,
  TaskContext,
  TaskRef,
} from '@taskgraph/core';
import type { AgentSettings, AssistantInput } from './assistant.js';
import type { Continuation } from './assistant-call.js';
import { ASSISTANT_FUNCTIONS, continueWith } from './assistant-call.js';
import type { ToolCallRecord } from './tools.js';
import { toolCallSpec, toolCallText } from './tools.js';

/** An agent's state after a turn: the conversation so far, and how it stands. */
export interface AgentTurn {
  turn: number;
  messages: ChatMessage[];
  /** running: more turns follow; done: it answered without a tool call; max_turns: stopped at the limit. */
  status: 'running' | 'done' | 'max_turns';
  /** Its answer (the last reply's text), once it stopped. */
  answer?: string;
}

interface AgentStartArgs {
  key: string;
  settings: AgentSettings;
  input: AssistantInput;
  next: Continuation[];
}

type AgentStart = AgentTurn & { args: AgentStartArgs };

/** Registers the functions of assistant calls (agents' turns, external work's question); idempotent. */
export function registerAssistantCalls(registry: FunctionRegistry): void {
  if (registry.has(ASSISTANT_FUNCTIONS.agentStart)) return;
  const F = ASSISTANT_FUNCTIONS;
  registry.register(F.question, (ctx) => {
    const { assistant, input } = ctx.args as unknown as { assistant: string; input: AssistantInput };
    const asked = input.messages.map((m) => m.content ?? '').join('\n\n');
    const text = asked || input.task;
    return {
      assistant,
      task: input.task,
      text,
      messages: input.messages,
      ...contextOf(input),
    } as unknown as JsonValue;
  });

  registry.register(F.agentStart, (ctx): AgentStart => {
    const args = ctx.args as unknown as AgentStartArgs;
    const system = args.settings.instructions;
    const messages: ChatMessage[] = [
      ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
      ...args.input.messages,
    ];
    addTurn(ctx, args.key, args.settings, ctx.taskId, [], 1);
    return { args, turn: 0, messages, status: 'running' };
  });

  registry.register(F.agentPrompt, (_ctx, previous: AgentTurn, ...results: ToolCallRecord[]) => [
    ...previous.messages,
    ...results.map(toolMessage),
  ]);

  registry.register(F.agentRead, readAssistantMessage);

  registry.register(F.agentAct, (ctx, start: AgentStart, previous: AgentTurn, ...rest: unknown[]) => {
    const { key, settings } = start.args;
    const startTask = (ctx.args as { start: string }).start;
    const reply = rest.at(-1) as AssistantMessage;
    const results = rest.slice(0, -1) as ToolCallRecord[];
    const messages = [...previous.messages, ...results.map(toolMessage), reply as ChatMessage];
    const turn = previous.turn + 1;
    const calls = reply.toolCalls ?? [];
    const stop = (status: AgentTurn['status']): AgentTurn => {
      ctx.addFunction({ id: `${key}.answer`, fn: F.agentAnswer, deps: [startTask, ctx.taskId] });
      return { turn, messages, status, answer: reply.content ?? '' };
    };
    if (calls.length === 0) return stop('done');
    if (turn >= settings.maxTurns) return stop('max_turns');
    const callTasks = calls.map(
      (call, i): TaskRef =>
        ctx.addFunction(
          toolCallSpec(
            `${key}.call-${turn}-${i + 1}`,
            { tool: call.function.name, input: jsonOrText(call.function.arguments), toolCallId: call.id },
            settings.tools,
          ),
        ),
    );
    addTurn(
      ctx,
      key,
      settings,
      startTask,
      callTasks.map((task) => task.id),
      turn + 1,
    );
    return { turn, messages, status: 'running' } satisfies AgentTurn;
  });

  // The call's result is the answer; what follows the call starts from this task.
  registry.register(F.agentAnswer, (ctx, start: AgentStart, last: AgentTurn) => {
    continueWith(ctx, start.args.next, start.args.key, ctx.taskId);
    return last.answer ?? '';
  });
}

function addTurn(
  ctx: TaskContext,
  key: string,
  settings: AgentSettings,
  startTask: string,
  results: string[],
  turn: number,
): void {
  const previous = ctx.taskId;
  const llm = ctx.addLLM({
    id: `${key}.llm-${turn}`,
    prompt: ASSISTANT_FUNCTIONS.agentPrompt,
    parser: ASSISTANT_FUNCTIONS.agentRead,
    deps: [previous, ...results],
    params: settings.params,
    handler: settings.handler,
  });
  ctx.addFunction({
    id: `${key}.act-${turn}`,
    fn: ASSISTANT_FUNCTIONS.agentAct,
    deps: [startTask, previous, ...results, llm],
    args: { start: startTask },
  });
}

/** An LLM reply as the conversation keeps it: its text and its tool calls (a parser). */
export function readAssistantMessage(
  _ctx: unknown,
  _text: string,
  message: AssistantMessage,
): AssistantMessage {
  return {
    role: 'assistant',
    content: message.content,
    ...(message.toolCalls?.length ? { toolCalls: message.toolCalls } : {}),
  };
}

/** A tool call's arguments: their JSON, or the text when it is not JSON. */
export function jsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text || '{}') as JsonValue;
  } catch {
    return text;
  }
}

function contextOf(input: AssistantInput): { context?: JsonValue } {
  return input.context === undefined ? {} : { context: input.context };
}

function toolMessage(result: ToolCallRecord): ChatMessage {
  return {
    role: 'tool',
    content: toolCallText(result),
    ...(result.toolCallId ? { toolCallId: result.toolCallId } : {}),
  };
}
