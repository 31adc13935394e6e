import type { JsonValue, LLMParams } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { z } from 'zod';
import type { AssistantRef } from '../shared/assistant.js';
import type { MergeMode } from './merge-objects.js';
import type { PlannedTaskInput } from './planner-schemas.js';
import type { CompletedTask, PlannerLists, PlannerState } from './planner-state.js';
import type { WorkerContextOptions } from './worker-context.js';

/** One run of a planner: the goal and the bounds. */
export interface PlannerInput {
  /** Id of the planner's first task; every other task is created under it. Default "planner". */
  id?: string;
  goal: string;
  /** A first task list: when given, the planning call is skipped. */
  tasks?: readonly PlannedTaskInput[];
  /**
   * What a resumed run starts from (the original's persist file, read with readPlannerPersist, or kwargs):
   * facts stored so far, the final result so far, and the tasks already done (seen by the no-repeat
   * rule, the worker context and the prompts, and kept in the result). Default empty.
   */
  storedInfo?: Record<string, JsonValue>;
  finalResult?: Record<string, JsonValue>;
  completedTasks?: readonly CompletedTask[];
  /** LLM params of the planner's own calls (plan, refine, completion check, repair) and of the workers. */
  models?: { planner?: LLMParams; worker?: LLMParams };
  /** LLM handler ids of the planner's calls and of the workers (default "openai" for both). */
  handlers?: { planner?: string; worker?: string };
  /** Most tasks run (tools and workers). Default 25. Reaching it ends the run with status "max_tasks". */
  maxTasks?: number;
  /** Most steps (each step starts a task, a completion check or a repair). Default 100; status "max_steps". */
  maxSteps?: number;
  /** Completion checks when no task is left and the goal is not met. Default 3; then status "incomplete". */
  maxCompletionChecks?: number;
  /** When false, new tasks whose text matches a completed task are skipped (and listed). Default true. */
  allowRepeatTasks?: boolean;
  /** How statePatch and resultPatch merge. Default "shallow". */
  merge?: MergeMode;
  /**
   * LLM calls that may repair an unusable JSON reply, each a task of its own. Default 2, as the original
   * (its `retry=1` allowed a repair call and one retry of it).
   */
  repairRetries?: number;
  /** When a reply stays unusable: "fail" the run with OUTPUT_PARSE (default) or "skip" it as if it changed nothing. */
  onUnusableReply?: 'fail' | 'skip';
  /** What the worker of a task is told (see buildWorkerContext). */
  workerContext?: WorkerContextOptions;
  /** Append each tool call to storedInfo.tools_used, where prompts see it. Default false. */
  recordToolsInState?: boolean;
}

/** The resolved input, as the planner's first task stores it (`args`) and every step reads it. */
export interface PlannerSettings {
  id: string;
  goal: string;
  tools: Array<{ name: string; description: string }>;
  models: { planner: LLMParams; worker: LLMParams };
  handlers: { planner: string; worker: string };
  maxTasks: number;
  maxSteps: number;
  maxCompletionChecks: number;
  allowRepeatTasks: boolean;
  merge: MergeMode;
  repairRetries: number;
  onUnusableReply: 'fail' | 'skip';
  workerContext: { includeCompleted: boolean; pickLarger: boolean };
  recordToolsInState: boolean;
  /** Whether refine and the completion check are the functions given to createPlanner, not LLM calls. */
  customRefine: boolean;
  customCheck: boolean;
  /** The workers tasks may name (absent when none was given). */
  workers?: AssistantRef[];
  /** The worker of tasks that name none (absent: the worker LLM). */
  defaultWorker?: string;
  /** Whether a confirmation (a human task) comes before each task. */
  confirm?: boolean;
}

/** What createPlanner adds to a run's settings. */
export interface PlannerExtras {
  refine: boolean;
  check: boolean;
  workers: AssistantRef[];
  defaultWorker: string | undefined;
  confirm: boolean;
}

const API = 'Planner.graph';

export function resolvePlannerSettings(
  input: PlannerInput,
  tools: PlannerSettings['tools'],
  custom: PlannerExtras,
): PlannerSettings {
  if (!input || typeof input.goal !== 'string' || input.goal.trim() === '') {
    throw new TaskGraphError('INVALID_ARGUMENT', `${API}: \`goal\` must be a non-empty string.`);
  }
  const { workers, defaultWorker } = custom;
  return {
    ...(workers.length > 0 ? { workers } : {}),
    ...(defaultWorker === undefined ? {} : { defaultWorker }),
    ...(custom.confirm ? { confirm: true } : {}),
    id: input.id ?? 'planner',
    goal: input.goal,
    tools,
    models: {
      planner: { response_format: { type: 'json_object' }, ...input.models?.planner },
      worker: { ...input.models?.worker },
    },
    handlers: { planner: input.handlers?.planner ?? 'openai', worker: input.handlers?.worker ?? 'openai' },
    maxTasks: count('maxTasks', input.maxTasks, 25, 1),
    maxSteps: count('maxSteps', input.maxSteps, 100, 1),
    maxCompletionChecks: count('maxCompletionChecks', input.maxCompletionChecks, 3, 0),
    allowRepeatTasks: input.allowRepeatTasks ?? true,
    merge: input.merge ?? 'shallow',
    repairRetries: count('repairRetries', input.repairRetries, 2, 0),
    onUnusableReply: input.onUnusableReply ?? 'fail',
    workerContext: {
      includeCompleted: input.workerContext?.includeCompleted ?? false,
      pickLarger: input.workerContext?.pickLarger ?? false,
    },
    recordToolsInState: input.recordToolsInState ?? false,
    customRefine: custom.refine,
    customCheck: custom.check,
  };
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= min) return value;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${API}: \`${name}\` must be an integer from ${min} up (got ${String(value)}).`,
  );
}

const resumeSchema = z.object({
  storedInfo: z.record(z.string(), z.json()).optional(),
  finalResult: z.record(z.string(), z.json()).optional(),
  completedTasks: z.array(z.strictObject({ task: z.string(), result: z.json() })).optional(),
});

/** The stored info, final result and completed tasks a run starts from, checked (errors name the key). */
export function resolveResumeState(
  input: PlannerInput,
): Pick<PlannerState, 'storedInfo' | 'finalResult'> & Pick<PlannerLists, 'completed'> {
  const { storedInfo, finalResult, completedTasks } = input;
  const parsed = resumeSchema.safeParse({ storedInfo, finalResult, completedTasks });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${API}: \`${issue?.path.join('.') || '(input)'}\` is invalid: ${issue?.message}. See PlannerSnapshot.`,
    );
  }
  return {
    storedInfo: storedInfo ?? {},
    finalResult: finalResult ?? {},
    completed: (completedTasks ?? []).map((t) => ({ task: t.task, result: t.result })),
  };
}
