import type { ChatMessage, JsonValue, LLMParams, TaskGraph, TaskRef } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { ToolSpec } from '../shared/tools.js';
import { toolDefinition } from '../shared/tools.js';
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
} as const;

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
  const queueTool = options.queueTool?.name ?? QUEUE_TOOL_NAME;
  const settings: SupervisorSettings = {
    queue: options.id,
    queueTool,
    tools: tools.map((tool) => tool.name),
    params: {
      ...options.params,
      tools: [queueToolDefinition(options.queueTool), ...tools.map(toolDefinition)],
    },
    handler: options.handler ?? 'openai',
    maxTurns,
    onUnfinished: options.onUnfinished ?? 'error',
  };
  const messages: ChatMessage[] = [
    { role: 'system', content: options.instructions ?? DEFAULT_SUPERVISOR_INSTRUCTIONS },
    { role: 'user', content: options.goal },
  ];
  return graph.addFunction({
    id: options.id,
    fn: SUPERVISOR_FUNCTIONS.start,
    args: { settings, messages, tasks: [...(options.tasks ?? [])] } as unknown as JsonValue,
  });
}

/** The supervisor's last turn in a graph (a run, a loaded trace): its status, answer, conversation and queue. */
export function supervisorResult(graph: TaskGraph, id: string): SupervisorTurn | undefined {
  let last: SupervisorTurn | undefined;
  for (const task of graph.tasks()) {
    if (task.kind !== 'function' || task.fn !== SUPERVISOR_FUNCTIONS.act || !task.id.startsWith(`${id}/`))
      continue;
    const turn = task.output?.value as SupervisorTurn | undefined;
    if (turn && (!last || turn.turn > last.turn)) last = turn;
  }
  return last;
}
