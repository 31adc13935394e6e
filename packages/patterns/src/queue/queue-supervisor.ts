import type { ChatMessage, JsonValue, LLMParams, TaskGraph, TaskRef } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { ZodType } from 'zod';
import type { Assistant, AssistantRef } from '../shared/assistant.js';
import { assistantRefs } from '../shared/assistant.js';
import type { ToolSpec } from '../shared/tools.js';
import { toolDefinition, toolParameters } from '../shared/tools.js';
import type { UnfinishedPolicy } from './queue-handlers.js';
import type { QueueItem, QueueState } from './queue-state.js';
import type { QueueToolOptions } from './queue-tool.js';
import { QUEUE_TOOL_NAME, queueToolDefinition } from './queue-tool.js';

/** Ids of the supervisor's registered functions. */
export const SUPERVISOR_FUNCTIONS = {
  start: 'patterns.supervisor.start',
  prompt: 'patterns.supervisor.prompt',
  read: 'patterns.supervisor.read',
  act: 'patterns.supervisor.act',
  finalPrompt: 'patterns.supervisor.final-prompt',
} as const;

/** The name of the tool that hands a task to the member assistant `name` (as LangGraph's supervisor names it). */
export const handoffToolName = (name: string) => `transfer_to_${name}`;

export const DEFAULT_SUPERVISOR_INSTRUCTIONS = [
  'You are a supervisor that works through a queue of tasks with the task_management tool.',
  'Add the tasks you are given with add_tasks. Then, one task at a time: take it with get_next, do it with',
  'the other tools, and record the outcome with mark_done (or mark_failed, saying why). When get_next answers',
  'that there are no tasks to process, check with status and reply with a short summary, calling no tool.',
].join(' ');

/** What the supervisor is set up with; the output of its first task, which every turn depends on. */
export interface SupervisorSettings {
  /** The supervisor's id: the id of its first task (which every turn depends on) and its queue's name. */
  queue: string;
  queueTool: string;
  /** Names of the other tools the model may call. */
  tools: string[];
  /** The LLM params of every turn, `tools` included. */
  params: LLMParams;
  handler: string;
  maxTurns: number;
  onUnfinished: UnfinishedPolicy;
  /** The member assistants the model may hand tasks to (absent when none). */
  members?: AssistantRef[];
  /** The JSON Schema of the structured final answer (absent when none is asked for). */
  responseFormat?: JsonValue;
}

/** The state after a turn: the conversation so far and the queue. */
export interface SupervisorTurn {
  turn: number;
  messages: ChatMessage[];
  queue: QueueState;
  /** running: more turns follow; done: the model answered without calling a tool; max_turns: stopped at the limit. */
  status: 'running' | 'done' | 'max_turns';
  /** The model's last reply, when it called no tool. */
  answer?: string;
  /** The structured final answer (with `responseFormat`), once its call has run (supervisorResult). */
  structuredResponse?: JsonValue;
}

export interface QueueSupervisorOptions {
  /** The supervisor's id: the id of its first task and the name of its queue. */
  id: string;
  /** What the supervisor is asked to do (the user message). */
  goal: string;
  /** The system message (default DEFAULT_SUPERVISOR_INSTRUCTIONS). */
  instructions?: string;
  /** Tasks already in the queue when the supervisor starts. */
  tasks?: readonly QueueItem[];
  /** Other tools the model may call; register them with registerQueue({ tools }). */
  tools?: readonly ToolSpec[];
  /** LLM params of every turn (model, temperature…); `tools` is set by the supervisor. */
  params?: LLMParams;
  /** The LLM handler id (default "openai"). */
  handler?: string;
  /** Most LLM turns (default 30). */
  maxTurns?: number;
  onUnfinished?: UnfinishedPolicy;
  queueTool?: QueueToolOptions;
  /**
   * Member assistants (Etendo's supervised assistants): the model hands one a task by calling its tool
   * `transfer_to_<name>` with `{ task }`; the member's answer comes back as that call's result. Register
   * them with registerQueue({ members }) too.
   */
  members?: readonly Assistant[];
  /**
   * Continues a thread: the conversation and the queue of a supervisor's last turn (supervisorResult of
   * an earlier run or trace). `goal` is the next user message; `tasks` are added to the kept queue.
   */
  continueFrom?: Pick<SupervisorTurn, 'messages' | 'queue'>;
  /**
   * A structured final answer (LangGraph's `response_format`): once the model answers without a tool
   * call, one more LLM call with this schema as its parser turns the conversation into a value of it
   * (`structuredResponse`).
   */
  responseFormat?: ZodType;
}

/**
 * An LLM supervisor that drives a queue through the queue tool, as in Etendo's LangGraph supervisor.
 * Every turn is an LLM task; every tool call is a task of its own (queue operations one after the other,
 * so that parallel tool calls never see the same state), and its result goes back to the model as a tool
 * message tied to the call id. Turns go on until the model calls no tool, or `maxTurns`.
 */
export function addQueueSupervisor(
  graph: TaskGraph,
  options: QueueSupervisorOptions,
): TaskRef<SupervisorTurn> {
  const maxTurns = options.maxTurns ?? 30;
  if (!(Number.isInteger(maxTurns) && maxTurns >= 1)) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `addQueueSupervisor: \`maxTurns\` must be an integer from 1 up (got ${String(options.maxTurns)}) for supervisor "${options.id}".`,
    );
  }
  const tools = options.tools ?? [];
  const members = assistantRefs(options.members ?? [], 'addQueueSupervisor');
  const queueTool = options.queueTool?.name ?? QUEUE_TOOL_NAME;
  const settings: SupervisorSettings = {
    queue: options.id,
    queueTool,
    tools: tools.map((tool) => tool.name),
    params: {
      ...options.params,
      tools: [
        queueToolDefinition(options.queueTool),
        ...tools.map(toolDefinition),
        ...members.map(handoffTool),
      ],
    },
    handler: options.handler ?? 'openai',
    maxTurns,
    onUnfinished: options.onUnfinished ?? 'error',
  };
  if (members.length > 0) settings.members = members;
  if (options.responseFormat) settings.responseFormat = toolParameters(options.responseFormat);
  const thread = options.continueFrom;
  const messages: ChatMessage[] = [
    ...(thread
      ? thread.messages
      : [{ role: 'system' as const, content: options.instructions ?? DEFAULT_SUPERVISOR_INSTRUCTIONS }]),
    { role: 'user', content: options.goal },
  ];
  const kept = thread ? { queue: thread.queue } : {};
  return graph.addFunction({
    id: options.id,
    fn: SUPERVISOR_FUNCTIONS.start,
    args: { settings, messages, tasks: [...(options.tasks ?? [])], ...kept } as unknown as JsonValue,
  });
}

/**
 * The supervisor's last turn in a graph (a run, a loaded trace): its status, answer, conversation and
 * queue, and the structured final answer when one was asked for.
 */
export function supervisorResult(graph: TaskGraph, id: string): SupervisorTurn | undefined {
  let last: SupervisorTurn | undefined;
  let structured: JsonValue | undefined;
  for (const task of graph.tasks()) {
    if (!task.id.startsWith(`${id}/`)) continue;
    if (task.kind === 'llm' && task.promptFn === SUPERVISOR_FUNCTIONS.finalPrompt && task.output) {
      structured = task.output.value as JsonValue;
    }
    if (task.kind !== 'function' || task.fn !== SUPERVISOR_FUNCTIONS.act) continue;
    const turn = task.output?.value as SupervisorTurn | undefined;
    if (turn && (!last || turn.turn > last.turn)) last = turn;
  }
  return last && structured !== undefined ? { ...last, structuredResponse: structured } : last;
}

/** The tool that hands a task to a member assistant. */
function handoffTool(member: AssistantRef): JsonValue {
  return {
    type: 'function',
    function: {
      name: handoffToolName(member.name),
      description: `Hand a task to ${member.name}: ${member.description} Its answer comes back as the result of this call.`,
      parameters: {
        type: 'object',
        properties: {
          task: { type: 'string', description: 'The task, with what the member needs to do it.' },
        },
        required: ['task'],
        additionalProperties: false,
      },
    },
  };
}
