import type { FunctionRegistry, HumanQuestion, JsonValue, RunOptions, TaskContext } from '@taskgraph/core';
import { TaskGraph, TaskGraphError } from '@taskgraph/core';
import type { z } from 'zod';
import type { Assistant } from '../shared/assistant.js';
import { registerAssistants } from '../shared/assistant.js';
import { registerAssistantCalls } from '../shared/register-assistant-calls.js';
import type { ToolSpec } from '../shared/tools.js';
import { registerTools } from '../shared/tools.js';
import { parseJsonReply } from './json-reply.js';
import type { ConfirmDecision, ConfirmHook } from './planner-confirm.js';
import { applyDecision, confirmRequest } from './planner-confirm.js';
import { PlannerDriver } from './planner-driver.js';
import type { PlannerEventSink } from './planner-events.js';
import { PLANNER_VERSION, plannerFunctionIds } from './planner-function-ids.js';
import { holdHistory, indexPlannerHistory, listsOf, logAfter, withLists } from './planner-history.js';
import { checkPrompt, planPrompt, refinePrompt, repairPrompt } from './planner-prompts.js';
import type { PlannerResult } from './planner-result.js';
import { plannerResult, toPlannerResult } from './planner-result.js';
import type { PlannedTask, RefinePatch, ReplyKind } from './planner-schemas.js';
import { REPLY_SCHEMAS, refinePatchSchema, replyToPatch, toPlannedTask } from './planner-schemas.js';
import type { PlannerInput } from './planner-settings.js';
import { resolvePlannerSettings, resolveResumeState } from './planner-settings.js';
import { startPlanner } from './planner-start.js';
import type { CompletedTask, PlannerState } from './planner-state.js';
import type { PlannerStart, ReplyEnvelope, StepDeps, WorkResult } from './planner-step.js';
import { addStep, runPlannerStep, startTask, workerMessages } from './planner-step.js';
import type { PlannerRunOptions } from './run-planner.js';
import { confirmAnswerer, runPlanner, workResultText } from './run-planner.js';

/** What a refine function is given: the task, its result, and the state around it. */
export interface RefineInput {
  goal: string;
  task: PlannedTask;
  result: WorkResult;
  sharedState: PlannerState['storedInfo'];
  finalResult: PlannerState['finalResult'];
  pending: PlannedTask[];
}

/** What a completion check function is given when no task is left. */
export interface CheckInput {
  goal: string;
  sharedState: PlannerState['storedInfo'];
  finalResult: PlannerState['finalResult'];
  completedTasks: CompletedTask[];
}

export interface PlannerOptions {
  /** Namespace of the planner's function ids (`patterns.<name>.step`…). Default "planner". */
  name?: string;
  /** Tools the planner may give tasks to; each call is a task of its own in the trace. */
  tools?: readonly ToolSpec[];
  /** Replaces the refine LLM call: a function from a finished task to a patch. */
  refine?: (input: RefineInput) => RefinePatch | Promise<RefinePatch>;
  /** Replaces the completion-check LLM call. */
  check?: (input: CheckInput) => RefinePatch | Promise<RefinePatch>;
  /** Called exactly once, when the goal is complete, with the result the completing step produced. */
  onComplete?: (
    goal: string,
    result: {
      finalResult: PlannerState['finalResult'];
      completedTasks: CompletedTask[];
      sharedState: PlannerState['storedInfo'];
    },
  ) => unknown;
  /** Receives the planner's events as its steps run. Default: none (silent). */
  onEvent?: PlannerEventSink;
  /**
   * Workers that tasks may name (`{ task, worker }`) in place of the worker LLM: code
   * (functionAssistant), a tool-using agent (toolAgent), or work done outside the run
   * (externalAssistant, answered like a human task). The planner model is told their names and what
   * they do.
   */
  workers?: readonly Assistant[];
  /** The worker of tasks that name none (default: the worker LLM). */
  defaultWorker?: string;
  /**
   * A confirmation before each task (the original's "Continue? [Y]es/[n]o/[e]dit"): a human task whose
   * answer is "run", "skip" or { edit }. `true`: a person answers (the run pauses until then; unattended
   * runs approve); a function: it answers in this process, through `planner.run` or `planner.driver`.
   * Default: none, every task runs.
   */
  confirm?: boolean | ConfirmHook;
}

export interface Planner {
  /** The ids of the planner's registered functions. */
  readonly ids: ReturnType<typeof plannerFunctionIds>;
  /** A new graph holding the planner's first task; run it with the registry the planner was created on. */
  graph(input: PlannerInput): TaskGraph;
  /**
   * Builds the graph, runs it, and returns the result (see plannerResult) with the graph. Rejects as
   * TaskGraph.run does: with AWAITING_ANSWERS when a confirmation or external work waits for an answer.
   */
  run(input: PlannerInput, options?: PlannerRunOptions): Promise<{ result: PlannerResult; graph: TaskGraph }>;
  /** Drives a run one pause at a time: each task to confirm, each piece of external work (see PlannerDriver). */
  driver(input: PlannerInput, options?: PlannerRunOptions): PlannerDriver;
  /**
   * The run option `answer` that gives the confirmations of this planner to its confirm function, and
   * every other question to `other`. planner.run and planner.driver use it; pass it to graph.run yourself.
   */
  answerer(other?: RunOptions['answer']): (question: HumanQuestion) => unknown;
  /** The result of a run (or of a loaded trace); undefined until its last step has run. */
  result(graph: TaskGraph, id?: string): PlannerResult | undefined;
}

/**
 * A goal-driven planner (seed 000) made of tasks: an LLM writes the first task list; each task runs as a
 * task of the graph (a tool call or a worker LLM call); after each, a refine step may add, drop or
 * reorder tasks, store facts and add to the final result; when no task is left a completion check runs;
 * the completion hook runs once. Each step is a task created by the step before it, and the state flows
 * from step to step as task outputs, so the whole run is one trace to replay and edit.
 */
export function createPlanner(registry: FunctionRegistry, options: PlannerOptions = {}): Planner {
  const ids = plannerFunctionIds(options.name ?? 'planner');
  const tools = options.tools ?? [];
  registerTools(registry, tools);
  const workers = registerAssistants(registry, options.workers ?? [], 'createPlanner');
  registerAssistantCalls(registry);
  const { defaultWorker } = options;
  if (defaultWorker !== undefined && !workers.some((w) => w.name === defaultWorker)) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `createPlanner: \`defaultWorker\` "${defaultWorker}" is not one of the workers (${workers.map((w) => w.name).join(', ') || 'none given'}).`,
    );
  }
  const extras = {
    refine: !!options.refine,
    check: !!options.check,
    workers,
    defaultWorker,
    confirm: !!options.confirm,
  };
  const hook = typeof options.confirm === 'function' ? options.confirm : undefined;
  const read =
    (kind: ReplyKind) =>
    (_ctx: unknown, text: string): ReplyEnvelope => {
      const reply = parseJsonReply<Record<string, unknown>>(
        text,
        REPLY_SCHEMAS[kind] as z.ZodType<Record<string, unknown>>,
      );
      if (!reply.ok) return reply;
      return { ok: true, patch: replyToPatch(kind, reply.value), repaired: reply.repaired };
    };
  const checked = (what: string, patch: RefinePatch): ReplyEnvelope => {
    const parsed = refinePatchSchema.safeParse(patch);
    if (parsed.success) return { ok: true, patch: parsed.data, repaired: false };
    const issue = parsed.error.issues[0];
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `Planner ${what}: the patch it returned is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}. See refinePatchSchema.`,
    );
  };
  type Named = StepDeps & { state: PlannerState };

  registry.onGraphStart(indexPlannerHistory(ids));
  const version = { version: PLANNER_VERSION };
  // The functions that read the run's lists do so from this process's index: they run here (`local`)
  // whatever the run's executor; the LLM calls, tools and workers go to its workers.
  const local = { ...version, local: true };
  registry.register(ids.start, (ctx) => startPlanner(ctx, ids), version);
  registry.register(
    ids.step,
    (ctx, deps: StepDeps) => runPlannerStep(ctx, deps, ids, options.onEvent),
    local,
  );
  registry.register(
    ids.end,
    async (_ctx, { start, state }: Named): Promise<PlannerResult> => {
      const whole = withLists(state, 'Planner.end');
      const hook = state.status === 'complete' && options.onComplete !== undefined;
      if (hook) {
        await options.onComplete?.(start.settings.goal, {
          finalResult: whole.finalResult,
          completedTasks: whole.completed,
          sharedState: whole.storedInfo,
        });
      }
      return toPlannerResult(start.settings, whole, hook);
    },
    local,
  );

  registry.register(ids.planPrompt, (_ctx, start: PlannerStart) => planPrompt(start.settings, start.state));
  registry.register(ids.refinePrompt, (_ctx, { start, state, result }: Named) =>
    refinePrompt(start.settings, state, state.current?.task ?? '', workResultText(result)),
  );
  registry.register(ids.checkPrompt, (_ctx, { start, state }: Named) => checkPrompt(start.settings, state));
  registry.register(
    ids.workerPrompt,
    (_ctx, { start, state }: Named) => workerMessages(start.settings, state),
    local,
  );
  registry.register(ids.confirmQuestion, (_ctx, { start, state }: Named) =>
    confirmRequest(start.settings.id, start.settings.goal, state),
  );
  const gate = (ctx: TaskContext, { start, state, decision }: Named & { decision: ConfirmDecision }) => {
    const own: PlannerState = { ...state, log: logAfter(state), added: {} };
    const decided = applyDecision(own, decision);
    if (decided.current) decided.events.push(...startTask(ctx, decided, start.settings, ids));
    else
      addStep(ctx, ids, start.settings, {
        n: state.step + 1,
        after: 'none',
        fixes: 0,
        stateTask: ctx.taskId,
      });
    if (options.onEvent) for (const event of decided.events) options.onEvent(event);
    return holdHistory(decided);
  };
  registry.register(ids.gate, gate, local);
  registry.register(ids.repairPrompt, (ctx, bad: ReplyEnvelope) => {
    const { kind } = ctx.args as { kind: ReplyKind };
    return repairPrompt(kind, bad.ok ? JSON.stringify(bad.patch) : bad.rawText, bad.ok ? '' : bad.error);
  });
  registry.register(ids.readPlan, read('plan'));
  registry.register(ids.readRefine, read('refine'));
  registry.register(ids.readCheck, read('check'));

  const { refine, check } = options;
  if (refine) {
    registry.register(ids.refine, async (ctx, { start, state, result }: Named) =>
      checked(
        `refine of task "${ctx.taskId}"`,
        await refine({
          goal: start.settings.goal,
          task: state.current ?? { task: '' },
          result: result ?? '',
          sharedState: state.storedInfo,
          finalResult: state.finalResult,
          pending: state.pending,
        }),
      ),
    );
  }
  if (check) {
    registry.register(
      ids.check,
      async (ctx, { start, state }: Named) =>
        checked(
          `completion check "${ctx.taskId}"`,
          await check({
            goal: start.settings.goal,
            sharedState: state.storedInfo,
            finalResult: state.finalResult,
            completedTasks: listsOf(state, `Planner.check "${ctx.taskId}"`).completed,
          }),
        ),
      local,
    );
  }

  const planner: Planner = {
    ids,
    graph(input) {
      const toolList = tools.map((tool) => ({ name: tool.name, description: tool.description }));
      const settings = resolvePlannerSettings(input, toolList, extras);
      const tasks = (input.tasks ?? []).map(toPlannedTask);
      const from = resolveResumeState(input);
      const graph = new TaskGraph();
      graph.setOutput(
        graph.addFunction({
          id: settings.id,
          fn: ids.start,
          args: { settings, tasks, ...(resumes(from) ? { from } : {}) } as unknown as JsonValue,
        }),
      );
      return graph;
    },
    run: (input, runOptions = {}) => runPlanner(planner, registry, input, runOptions),
    driver: (input, runOptions = {}) => new PlannerDriver(planner, registry, input, runOptions),
    answerer: (other) => confirmAnswerer(hook, other),
    result: (graph, id = 'planner') => plannerResult(graph, id, ids.end),
  };
  return planner;
}

function resumes(from: ReturnType<typeof resolveResumeState>): boolean {
  return (
    from.completed.length > 0 ||
    Object.keys(from.storedInfo).length > 0 ||
    Object.keys(from.finalResult).length > 0
  );
}
