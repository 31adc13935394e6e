import type { JsonValue } from '@taskgraph/core';
import { z } from 'zod';

type JsonObject = Record<string, JsonValue>;
const jsonObject = z.record(z.string(), z.json()) as z.ZodType<JsonObject>;

/**
 * A task as the planner writes it: its text, or its text with a tool to run and that tool's input, or
 * with the name of the worker (an assistant given to createPlanner) that does it.
 */
export const plannedTaskSchema = z.union([
  z.string().min(1),
  z.object({
    task: z.string().min(1),
    tool: z.string().min(1).optional(),
    input: z.json().optional(),
    worker: z.string().min(1).optional(),
  }),
]);

/** A planned task in its one stored form. */
export interface PlannedTask {
  task: string;
  /** Run this tool with `input` instead of asking the worker LLM. */
  tool?: string;
  input?: JsonValue;
  /** The worker (see PlannerOptions.workers) that does the task; default: the planner's default worker. */
  worker?: string;
}

export type PlannedTaskInput = z.infer<typeof plannedTaskSchema>;

/** The stored form of a task the planner wrote. */
export function toPlannedTask(task: PlannedTaskInput | PlannedTask): PlannedTask {
  if (typeof task === 'string') return { task };
  const planned: PlannedTask = { task: task.task };
  if (task.tool !== undefined) planned.tool = task.tool;
  if (task.input !== undefined) planned.input = task.input as JsonValue;
  if (task.worker !== undefined) planned.worker = task.worker;
  return planned;
}

/** The reply that writes the first task list. */
export const planReplySchema = z.object({
  current_tasks: z.array(plannedTaskSchema),
  thoughts: z.string().optional(),
});

/** The reply after each task: the whole new list of remaining tasks, facts to keep, parts of the result. */
export const refineReplySchema = z.object({
  current_tasks: z.array(plannedTaskSchema).optional(),
  stored_info: jsonObject.optional(),
  final_result: jsonObject.optional(),
  thoughts: z.string().optional(),
  goal_complete: z.boolean().optional(),
});

/** The reply when no task is left: is the goal complete, and if not, which tasks remain. */
export const checkReplySchema = z.object({
  goal_complete: z.boolean(),
  final_result: jsonObject.optional(),
  current_tasks: z.array(plannedTaskSchema).optional(),
  thoughts: z.string().optional(),
});

/**
 * What a refine (or completion check) step changes. Applied in this order: `statePatch` and
 * `resultPatch` are merged; then, when `goalComplete`, every pending task is cancelled (the new ones
 * too); otherwise `replacePending` replaces the pending list, `dropPending` removes tasks by text and
 * `addTasks` appends.
 */
export const refinePatchSchema = z.strictObject({
  addTasks: z.array(plannedTaskSchema).optional(),
  replacePending: z.array(plannedTaskSchema).optional(),
  dropPending: z.array(z.string()).optional(),
  statePatch: jsonObject.optional(),
  resultPatch: jsonObject.optional(),
  goalComplete: z.boolean().optional(),
  thoughts: z.string().optional(),
});

export type RefinePatch = z.infer<typeof refinePatchSchema>;

/** Which step a reply answers. */
export type ReplyKind = 'plan' | 'refine' | 'check';

export const REPLY_SCHEMAS = {
  plan: planReplySchema,
  refine: refineReplySchema,
  check: checkReplySchema,
} as const;

/** Each reply as the patch it stands for. */
export function replyToPatch(kind: ReplyKind, reply: Record<string, unknown>): RefinePatch {
  const patch: RefinePatch = {};
  const r = reply as z.infer<typeof refineReplySchema> & z.infer<typeof checkReplySchema>;
  if (r.current_tasks !== undefined) {
    if (kind === 'check') patch.addTasks = r.current_tasks;
    else patch.replacePending = r.current_tasks;
  }
  if (r.stored_info !== undefined) patch.statePatch = r.stored_info;
  if (r.final_result !== undefined) patch.resultPatch = r.final_result;
  if (r.goal_complete !== undefined) patch.goalComplete = r.goal_complete;
  if (r.thoughts !== undefined) patch.thoughts = r.thoughts;
  return patch;
}

/** Example replies, shown to the model when it must repair a reply. */
export const REPLY_EXAMPLES: Record<ReplyKind, JsonValue> = {
  plan: { current_tasks: ['find the three largest lakes', 'write a summary'], thoughts: 'search first' },
  refine: {
    current_tasks: ['write a summary'],
    stored_info: { lakes: ['Caspian Sea', 'Superior', 'Victoria'] },
    final_result: {},
    thoughts: 'the lakes are known',
    goal_complete: false,
  },
  check: { goal_complete: true, final_result: { summary: '…' }, current_tasks: [] },
};
