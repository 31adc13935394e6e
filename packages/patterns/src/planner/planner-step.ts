import type { JsonValue, TaskContext, TaskRef } from '@taskgraph/core';
import type { ToolCallRecord } from '../shared/tools.js';
import { toolCallSpec } from '../shared/tools.js';
import { OutputParseError } from './output-parse-error.js';
import type { PlannerEventSink } from './planner-events.js';
import type { PlannerFunctionIds } from './planner-function-ids.js';
import type { PlannedTask, RefinePatch, ReplyKind } from './planner-schemas.js';
import type { PlannerSettings } from './planner-settings.js';
import type { PlannerState, PlannerStatus } from './planner-state.js';
import { applyPatch } from './planner-state.js';

/** What a reply task outputs: the patch it stands for, or why it is unusable. */
export type ReplyEnvelope =
  | { ok: true; patch: RefinePatch; repaired: boolean }
  | { ok: false; error: string; rawText: string };

/** What a task outputs: the worker's reply, or the tool call's record. */
export type WorkResult = string | ToolCallRecord;

/** The output of the planner's first task, which every step depends on. */
export interface PlannerStart {
  settings: PlannerSettings;
  state: PlannerState;
}

/** Constant arguments of a step: its number, what it follows, and the ids of the tasks it reads. */
export interface StepArgs {
  n: number;
  after: 'none' | ReplyKind;
  /** Repairs already made of the reply this step reads. */
  fixes: number;
  stateTask?: string;
  replyTask?: string;
  resultTask?: string;
}

export interface StepDeps {
  start: PlannerStart;
  state?: PlannerState;
  reply?: ReplyEnvelope;
  result?: WorkResult;
}

/**
 * One step of the planner: applies the reply it follows (plan, refine or completion check) to the state,
 * then starts what comes next by adding tasks: the next task with its refine and the next step; or a
 * completion check and the next step; or a repair of an unusable reply; or the end. Returns the new
 * state; it never changes the one it was given.
 */
export function runPlannerStep(
  ctx: TaskContext,
  deps: StepDeps,
  ids: PlannerFunctionIds,
  emit: PlannerEventSink | undefined,
): PlannerState {
  const { settings } = deps.start;
  const args = ctx.args as unknown as StepArgs;
  const previous = deps.state ?? deps.start.state;
  const { current: _done, ...rest } = previous;
  let state: PlannerState = { ...rest, step: args.n, events: [] };
  if (args.after !== 'none') {
    const reply = deps.reply as ReplyEnvelope;
    let patch: RefinePatch = {};
    if (reply.ok) patch = reply.patch;
    else if (args.fixes < settings.repairRetries) {
      // At the step bound, next() ends the run with "max_steps" instead of repairing.
      if (args.n >= settings.maxSteps) return told(next(ctx, state, settings, ids), emit);
      state.events.push({ type: 'reply_repair', step: args.n, error: reply.error });
      addRepair(ctx, args, settings, ids);
      return told(state, emit);
    } else if (settings.onUnusableReply === 'fail') {
      throw new OutputParseError(
        `Planner.step: the ${args.after} reply read by task "${ctx.taskId}" is unusable after ${args.fixes} repair(s): ${reply.error}. Raise repairRetries, or set onUnusableReply to "skip".`,
        { rawText: reply.rawText, taskPath: ctx.taskPath },
      );
    } else state.events.push({ type: 'reply_unusable', step: args.n, error: reply.error });
    if (args.after === 'refine' && previous.current)
      state = complete(state, previous.current, deps.result, settings);
    if (args.after === 'check') state = { ...state, completionChecks: state.completionChecks + 1 };
    state = applyPatch(state, patch, settings);
  }
  return told(next(ctx, state, settings, ids), emit);
}

function told(state: PlannerState, emit: PlannerEventSink | undefined): PlannerState {
  if (emit) for (const event of state.events) emit(event);
  return state;
}

/** Records a finished task and its result (and, when asked, the tool call in storedInfo.tools_used). */
function complete(
  state: PlannerState,
  task: PlannedTask,
  result: WorkResult | undefined,
  settings: PlannerSettings,
) {
  const value = (result ?? null) as JsonValue;
  const completed = [...state.completed, { task: task.task, result: value }];
  if (!settings.recordToolsInState || typeof value !== 'object' || value === null)
    return { ...state, completed };
  const used = Array.isArray(state.storedInfo.tools_used) ? state.storedInfo.tools_used : [];
  return { ...state, completed, storedInfo: { ...state.storedInfo, tools_used: [...used, value] } };
}

/** Decides what follows a state and adds its tasks. */
function next(
  ctx: TaskContext,
  state: PlannerState,
  settings: PlannerSettings,
  ids: PlannerFunctionIds,
): PlannerState {
  const n = state.step;
  const end = (status: PlannerStatus): PlannerState => {
    const events = [...state.events];
    if (status !== 'running' && status !== 'complete') events.push({ type: 'stopped', step: n, status });
    ctx.addFunction({ id: 'end', fn: ids.end, namedDeps: { start: settings.id, state: ctx.taskId } });
    return { ...state, status, events };
  };
  if (state.status === 'complete') return end('complete');
  if (n >= settings.maxSteps) return end('max_steps');
  const named = { start: settings.id, state: ctx.taskId };
  const planner = { params: settings.models.planner, handler: settings.handlers.planner };
  const [current, ...pending] = state.pending;
  if (current === undefined) {
    if (state.completionChecks >= settings.maxCompletionChecks) return end('incomplete');
    const check = settings.customCheck
      ? ctx.addFunction({ id: `check-${n}`, fn: ids.check, namedDeps: named })
      : ctx.addLLM({
          id: `check-${n}`,
          prompt: ids.checkPrompt,
          parser: ids.readCheck,
          namedDeps: named,
          ...planner,
        });
    addStep(ctx, ids, settings, {
      n: n + 1,
      after: 'check',
      fixes: 0,
      stateTask: ctx.taskId,
      replyTask: check.id,
    });
    return state;
  }
  if (state.tasksRun >= settings.maxTasks) return end('max_tasks');
  const work = addWork(ctx, current, n, settings, ids);
  const withResult = { ...named, result: work.id };
  const refine = settings.customRefine
    ? ctx.addFunction({ id: `refine-${n}`, fn: ids.refine, namedDeps: withResult })
    : ctx.addLLM({
        id: `refine-${n}`,
        prompt: ids.refinePrompt,
        parser: ids.readRefine,
        namedDeps: withResult,
        ...planner,
      });
  addStep(ctx, ids, settings, {
    n: n + 1,
    after: 'refine',
    fixes: 0,
    stateTask: ctx.taskId,
    replyTask: refine.id,
    resultTask: work.id,
  });
  const started = {
    type: 'task_started' as const,
    step: n,
    task: current.task,
    ...(current.tool ? { tool: current.tool } : {}),
  };
  return { ...state, pending, current, tasksRun: state.tasksRun + 1, events: [...state.events, started] };
}

/** The task itself: a call of its tool, or the worker LLM. */
function addWork(
  ctx: TaskContext,
  task: PlannedTask,
  n: number,
  settings: PlannerSettings,
  ids: PlannerFunctionIds,
): TaskRef {
  if (task.tool !== undefined) {
    const tools = settings.tools.map((tool) => tool.name);
    return ctx.addFunction(toolCallSpec(`task-${n}`, { tool: task.tool, input: task.input ?? {} }, tools));
  }
  return ctx.addLLM({
    id: `task-${n}`,
    prompt: ids.workerPrompt,
    namedDeps: { start: settings.id, state: ctx.taskId },
    params: settings.models.worker,
    handler: settings.handlers.worker,
  });
}

/** A repair call on the unusable reply, then the same step again on the repaired reply. */
function addRepair(
  ctx: TaskContext,
  args: StepArgs,
  settings: PlannerSettings,
  ids: PlannerFunctionIds,
): void {
  const kind = args.after as ReplyKind;
  const read = { plan: ids.readPlan, refine: ids.readRefine, check: ids.readCheck }[kind];
  const repair = ctx.addLLM({
    id: `repair-${args.n}`,
    prompt: ids.repairPrompt,
    parser: read,
    deps: [args.replyTask as string],
    args: { kind },
    params: settings.models.planner,
    handler: settings.handlers.planner,
  });
  addStep(ctx, ids, settings, { ...args, n: args.n + 1, fixes: args.fixes + 1, replyTask: repair.id });
}

function addStep(ctx: TaskContext, ids: PlannerFunctionIds, settings: PlannerSettings, args: StepArgs): void {
  const namedDeps: Record<string, string> = { start: settings.id };
  if (args.stateTask) namedDeps.state = args.stateTask;
  if (args.replyTask) namedDeps.reply = args.replyTask;
  if (args.resultTask) namedDeps.result = args.resultTask;
  ctx.addFunction({ id: `step-${args.n}`, fn: ids.step, namedDeps, args: { ...args } });
}
