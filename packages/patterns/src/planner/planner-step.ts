import type { ChatMessage, JsonValue, TaskContext, TaskSpec } from '@taskgraph/core';
import type { Continuation } from '../shared/assistant-call.js';
import { continueWith, resultOf, startAssistant, taskOf } from '../shared/assistant-call.js';
import type { ToolCallRecord } from '../shared/tools.js';
import { toolCallSpec } from '../shared/tools.js';
import { OutputParseError } from './output-parse-error.js';
import { applyDecision, confirmDecisionSchema } from './planner-confirm.js';
import type { PlannerEvent, PlannerEventSink } from './planner-events.js';
import type { PlannerFunctionIds } from './planner-function-ids.js';
import { holdHistory, listsOf, logAfter } from './planner-history.js';
import { workerPrompt } from './planner-prompts.js';
import type { PlannedTask, RefinePatch, ReplyKind } from './planner-schemas.js';
import type { PlannerSettings } from './planner-settings.js';
import type { PlannerState, PlannerStatus } from './planner-state.js';
import { addTo, applyPatch } from './planner-state.js';
import { buildWorkerContext } from './worker-context.js';

/** What a reply task outputs: the patch it stands for, or why it is unusable. */
export type ReplyEnvelope =
  | { ok: true; patch: RefinePatch; repaired: boolean }
  | { ok: false; error: string; rawText: string };

/** What a task outputs: the worker's reply, the tool call's record, or a worker's result. */
export type WorkResult = string | ToolCallRecord | JsonValue;

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
  let state: PlannerState = { ...rest, step: args.n, events: [], log: logAfter(previous), added: {} };
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
  return holdHistory(state);
}

/** Records a finished task and its result (and, when asked, the tool call in storedInfo.tools_used). */
function complete(
  state: PlannerState,
  task: PlannedTask,
  result: WorkResult | undefined,
  settings: PlannerSettings,
) {
  const value = (result ?? null) as JsonValue;
  const completed = addTo(state, 'completed', [{ task: task.task, result: value }]);
  if (!settings.recordToolsInState || typeof value !== 'object' || value === null) return completed;
  const used = Array.isArray(state.storedInfo.tools_used) ? state.storedInfo.tools_used : [];
  return { ...completed, storedInfo: { ...state.storedInfo, tools_used: [...used, value] } };
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
  const proposed: PlannerState = { ...state, pending, current };
  if (settings.confirm) {
    const confirm = ctx.addHuman({
      id: `confirm-${n}`,
      question: ids.confirmQuestion,
      namedDeps: named,
      parser: confirmDecisionSchema,
      default: 'run', // unattended runs approve
    });
    ctx.addFunction({ id: `gate-${n}`, fn: ids.gate, namedDeps: { ...named, decision: confirm.id } });
    const asked = { type: 'awaiting_confirmation' as const, step: n, task: current.task };
    return { ...proposed, events: [...state.events, asked] };
  }
  const started = applyDecision(proposed, 'run');
  const events = startTask(ctx, started, settings, ids);
  return { ...started, events: [...state.events, ...started.events, ...events] };
}

/**
 * Starts the current task of a state (the output of the task running this): the task itself (a tool
 * call, a worker, or the worker LLM), then its refine and the next step, which read its result. Returns
 * the events of starting it.
 */
export function startTask(
  ctx: TaskContext,
  state: PlannerState,
  settings: PlannerSettings,
  ids: PlannerFunctionIds,
): PlannerEvent[] {
  const n = state.step;
  const task = state.current as PlannedTask;
  const named = { start: settings.id, state: ctx.taskId };
  const key = `task-${n}`;
  const result = resultOf(key);
  const refine: TaskSpec = settings.customRefine
    ? { kind: 'function', id: `refine-${n}`, fn: ids.refine, namedDeps: { ...named, result } }
    : {
        kind: 'llm',
        id: `refine-${n}`,
        prompt: ids.refinePrompt,
        parser: ids.readRefine,
        namedDeps: { ...named, result },
        params: settings.models.planner,
        handler: settings.handlers.planner,
      };
  const stepArgs: StepArgs = {
    n: n + 1,
    after: 'refine',
    fixes: 0,
    stateTask: ctx.taskId,
    replyTask: taskOf(`refine-${n}`),
    resultTask: result,
  };
  const then: Continuation[] = [
    { spec: refine },
    { spec: { kind: 'function', ...stepSpec(ids, settings, stepArgs) } },
  ];
  const events: PlannerEvent[] = [];
  const name = task.tool === undefined ? (task.worker ?? settings.defaultWorker) : undefined;
  const worker = name === undefined ? undefined : settings.workers?.find((w) => w.name === name);
  if (name !== undefined && worker === undefined) {
    events.push({ type: 'worker_unknown', step: n, task: task.task, worker: name });
  }
  if (worker) {
    const messages = workerMessages(settings, state);
    const context = { goal: settings.goal, step: n, planner: settings.id } as JsonValue;
    startAssistant(ctx, {
      assistant: worker,
      id: key,
      input: { task: task.task, messages, context },
      next: then,
    });
    return events;
  }
  const work =
    task.tool !== undefined
      ? ctx.addFunction(
          toolCallSpec(
            key,
            { tool: task.tool, input: task.input ?? {} },
            settings.tools.map((tool) => tool.name),
          ),
        )
      : ctx.addLLM({
          id: key,
          prompt: ids.workerPrompt,
          namedDeps: named,
          params: settings.models.worker,
          handler: settings.handlers.worker,
        });
  continueWith(ctx, then, key, work.id);
  return events;
}

/**
 * What the worker of the current task is asked (see buildWorkerContext). The completed tasks, when the
 * worker is told them, come from this process's index of the run.
 */
export function workerMessages(settings: PlannerSettings, state: PlannerState): ChatMessage[] {
  const { includeCompleted } = settings.workerContext;
  return workerPrompt(
    buildWorkerContext(
      {
        goal: settings.goal,
        remainingTasks: state.pending.map((t) => t.task),
        currentTask: state.current?.task ?? '',
        finalResult: state.finalResult,
        sharedState: state.storedInfo,
        completedTasks: includeCompleted ? listsOf(state, 'Planner.workerPrompt').completed : [],
      },
      settings.workerContext,
    ),
  );
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

export function addStep(
  ctx: TaskContext,
  ids: PlannerFunctionIds,
  settings: PlannerSettings,
  args: StepArgs,
): void {
  ctx.addFunction(stepSpec(ids, settings, args));
}

function stepSpec(ids: PlannerFunctionIds, settings: PlannerSettings, args: StepArgs) {
  const namedDeps: Record<string, string> = { start: settings.id };
  if (args.stateTask) namedDeps.state = args.stateTask;
  if (args.replyTask) namedDeps.reply = args.replyTask;
  if (args.resultTask) namedDeps.result = args.resultTask;
  return { id: `step-${args.n}`, fn: ids.step, namedDeps, args: { ...args } as unknown as JsonValue };
}
