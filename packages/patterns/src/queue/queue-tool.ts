import type { JsonValue, ToolCall } from '@taskgraph/core';
import { z } from 'zod';
import { toolParameters } from '../shared/tools.js';
import type { QueueOp, QueueOpArgs } from './queue-handlers.js';
import type { QueueRequest } from './run-queue-operation.js';

/** The tool's name, as the seed system names it. */
export const QUEUE_TOOL_NAME = 'task_management';

/** The tool's modes (the names an LLM sees) and the operations they run. */
export const QUEUE_TOOL_MODES = {
  get_next: 'getNext',
  add_tasks: 'addTasks',
  status: 'status',
  mark_done: 'markDone',
  mark_failed: 'markFailed',
} as const satisfies Record<string, QueueOp>;

type Mode = keyof typeof QUEUE_TOOL_MODES;
const modes = Object.keys(QUEUE_TOOL_MODES) as [Mode, ...Mode[]];

/** The arguments an LLM passes to the tool. `mode` is an enum, so a model that follows the schema cannot send another. */
export const queueToolArgsSchema = z.object({
  mode: z
    .enum(modes)
    .describe(
      'get_next: take the next task, it becomes the current task. add_tasks: append new_tasks to the queue. status: counts and lists. mark_done: the current task is finished. mark_failed: the current task failed.',
    ),
  new_tasks: z.array(z.string()).optional().describe('add_tasks only: the tasks to append, in order.'),
  result: z.string().optional().describe('mark_done only: what the task produced, in a few words.'),
  error: z.string().optional().describe('mark_failed only: why the task failed.'),
});

export type QueueToolArgs = z.infer<typeof queueToolArgsSchema>;

export interface QueueToolOptions {
  /** Default QUEUE_TOOL_NAME. */
  name?: string;
  description?: string;
}

/** The queue as an OpenAI function tool: put it in an LLM task's `params.tools`. */
export function queueToolDefinition(options: QueueToolOptions = {}): JsonValue {
  return {
    type: 'function',
    function: {
      name: options.name ?? QUEUE_TOOL_NAME,
      description:
        options.description ??
        'Manage the task queue: add tasks, take the next one, check the status, mark the current task done or failed. Every call answers with a message saying what changed.',
      parameters: toolParameters(queueToolArgsSchema),
    },
  };
}

/**
 * The queue operation an LLM's tool call asks for. Arguments that are not JSON, or an unknown mode, give
 * a request the queue answers with INVALID_MODE or INVALID_ARGS; this function never throws.
 */
export function queueRequestFromToolCall(call: ToolCall): QueueRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(call.function.arguments || '{}');
  } catch {
    raw = undefined;
  }
  const fields = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const mode = typeof fields.mode === 'string' ? fields.mode : '';
  const op: string = Object.hasOwn(QUEUE_TOOL_MODES, mode)
    ? QUEUE_TOOL_MODES[mode as Mode]
    : mode || '(no mode)';
  const args: Record<string, unknown> = {};
  if (fields.new_tasks !== undefined) args.tasks = fields.new_tasks;
  if (fields.result !== undefined) args.result = fields.result;
  if (fields.error !== undefined) args.error = fields.error;
  return { op, args: args as QueueOpArgs, toolCallId: call.id };
}
