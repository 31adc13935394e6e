import { readFile } from 'node:fs/promises';
import type { JsonValue } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { writeFileAtomic } from '@taskgraph/core/internal';
import { z } from 'zod';
import type { PatternErrorCode } from '../pattern-error-codes.js';
import { listsOf } from './planner-history.js';
import type { PlannedTask } from './planner-schemas.js';
import { plannedTaskSchema, toPlannedTask } from './planner-schemas.js';
import type { CompletedTask, PlannerState, PlannerStateWithLists } from './planner-state.js';

/**
 * A planner's state between runs, as the original's persist file holds it: the remaining tasks, the
 * stored info, the final result and the completed tasks. Spread it into a run's input to resume:
 * `planner.run({ goal, ...snapshot })`. With tasks left, the run does not plan again.
 */
export interface PlannerSnapshot {
  tasks: PlannedTask[];
  storedInfo: Record<string, JsonValue>;
  finalResult: Record<string, JsonValue>;
  completedTasks: CompletedTask[];
}

const jsonObject = z.record(z.string(), z.json()) as z.ZodType<Record<string, JsonValue>>;

/**
 * The persist file, in the original's own format (`stored_info`, `final_result`, `current_tasks`,
 * `completed_tasks` as a map from task text to result); `completed_tasks` may also be a list of
 * `{ task, result }`, which keeps a task done twice. Every key may be missing.
 */
export const plannerPersistSchema = z.strictObject({
  stored_info: jsonObject.optional(),
  final_result: jsonObject.optional(),
  current_tasks: z.array(plannedTaskSchema).optional(),
  completed_tasks: z
    .union([jsonObject, z.array(z.strictObject({ task: z.string(), result: z.json() }))])
    .optional(),
});

export type PlannerPersistFile = z.infer<typeof plannerPersistSchema>;

/** A persist file's content that is not what plannerPersistSchema describes. */
export class PlannerPersistError extends TaskGraphError<PatternErrorCode> {
  override readonly name = 'PlannerPersistError';
  readonly path: string;
  constructor(path: string, problem: string, cause?: unknown) {
    super(
      'INVALID_PLANNER_STATE',
      `readPlannerPersist: "${path}" is not a planner state file: ${problem}. Fix or remove the file (a missing file is a fresh start).`,
      cause === undefined ? {} : { cause },
    );
    this.path = path;
  }
}

/** Reads a persist file's JSON text; errors name the JSON path of what is wrong. */
export function parsePlannerPersist(text: string, path = '(text)'): PlannerSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlannerPersistError(path, `not JSON (${(error as Error).message})`, error);
  }
  const parsed = plannerPersistSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? `$.${issue.path.join('.')}` : '$';
    throw new PlannerPersistError(path, `${at}: ${issue?.message}`);
  }
  const file = parsed.data;
  const completed = file.completed_tasks ?? {};
  return {
    tasks: (file.current_tasks ?? []).map(toPlannedTask),
    storedInfo: file.stored_info ?? {},
    finalResult: file.final_result ?? {},
    completedTasks: Array.isArray(completed)
      ? completed.map((t) => ({ task: t.task, result: t.result as JsonValue }))
      : Object.entries(completed).map(([task, result]) => ({ task, result })),
  };
}

/** Reads a persist file: undefined when it does not exist (a fresh start); PlannerPersistError when corrupt. */
export async function readPlannerPersist(path: string): Promise<PlannerSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parsePlannerPersist(text, path);
}

/**
 * The persist file of a state (a step's output, whose completed tasks are read from this process's
 * index of the run unless it holds them, as plannerStateAt's does) or a snapshot, in the original's
 * format. The in-flight task, if any, goes back to the front of `current_tasks`; `completed_tasks` is a
 * list when a task text was completed twice (a map would lose one), else the original's map.
 */
export function plannerPersist(
  from: PlannerState | PlannerStateWithLists | PlannerSnapshot,
): PlannerPersistFile {
  const isState = 'pending' in from;
  const tasks = isState ? [...(from.current ? [from.current] : []), ...from.pending] : from.tasks;
  const completed = !isState
    ? from.completedTasks
    : 'completed' in from
      ? from.completed
      : listsOf(from, 'plannerPersist').completed;
  const unique = new Set(completed.map((t) => t.task)).size === completed.length;
  return {
    stored_info: from.storedInfo,
    final_result: from.finalResult,
    current_tasks: tasks.map((t) => (t.tool === undefined ? t.task : t)),
    completed_tasks: unique
      ? Object.fromEntries(completed.map((t) => [t.task, t.result]))
      : completed.map((t) => ({ task: t.task, result: t.result })),
  };
}

/** Writes a persist file atomically (a temporary file, then a rename). */
export async function writePlannerPersist(
  path: string,
  from: PlannerState | PlannerStateWithLists | PlannerSnapshot,
): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(plannerPersist(from), null, 2)}\n`);
}
