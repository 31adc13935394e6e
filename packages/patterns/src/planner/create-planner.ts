import type { FunctionRegistry, JsonValue, RunOptions } from '@taskgraph/core';
import { TaskGraph, TaskGraphError } from '@taskgraph/core';
import type { z } from 'zod';
import type { ToolSpec } from '../shared/tools.js';
import { registerTools, toolCallText } from '../shared/tools.js';
import { parseJsonReply } from './json-reply.js';
import type { PlannerEventSink } from './planner-events.js';
import { plannerFunctionIds } from './planner-function-ids.js';
import { checkPrompt, planPrompt, refinePrompt, repairPrompt, workerPrompt } from './planner-prompts.js';
import type { PlannerResult } from './planner-result.js';
import { plannerResult, toPlannerResult } from './planner-result.js';
import type { PlannedTask, RefinePatch, ReplyKind } from './planner-schemas.js';
import { REPLY_SCHEMAS, refinePatchSchema, replyToPatch, toPlannedTask } from './planner-schemas.js';
import type { PlannerInput } from './planner-settings.js';
import { resolvePlannerSettings } from './planner-settings.js';
import type { CompletedTask, PlannerState } from './planner-state.js';
import { initialPlannerState } from './planner-state.js';
import type { PlannerStart, ReplyEnvelope, StepDeps, WorkResult } from './planner-step.js';
import { runPlannerStep } from './planner-step.js';
import { buildWorkerContext } from './worker-context.js';

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
}

export interface Planner {
  /** The ids of the planner's registered functions. */
  readonly ids: ReturnType<typeof plannerFunctionIds>;
  /** A new graph holding the planner's first task; run it with the registry the planner was created on. */
  graph(input: PlannerInput): TaskGraph;
  /** Builds the graph, runs it, and returns the result (see plannerResult) with the graph. */
  run(input: PlannerInput, options?: RunOptions): Promise<{ result: PlannerResult; graph: TaskGraph }>;
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

  registry.register(ids.start, (ctx): PlannerStart => {
    const { settings, tasks } = ctx.args as unknown as PlannerStart & { tasks: PlannedTask[] };
    const stepNamed = { start: ctx.taskId };
    if (tasks.length > 0) {
      ctx.addFunction({
        id: 'step-1',
        fn: ids.step,
        namedDeps: stepNamed,
        args: { n: 1, after: 'none', fixes: 0 },
      });
    } else {
      const plan = ctx.addLLM({
        id: 'plan',
        prompt: ids.planPrompt,
        parser: ids.readPlan,
        deps: [ctx.taskId],
        params: settings.models.planner,
        handler: settings.handlers.planner,
      });
      ctx.addFunction({
        id: 'step-1',
        fn: ids.step,
        namedDeps: { ...stepNamed, reply: plan.id },
        args: { n: 1, after: 'plan', fixes: 0, replyTask: plan.id },
      });
    }
    return { settings, state: initialPlannerState(tasks) };
  });
  registry.register(ids.step, (ctx, deps: StepDeps) => runPlannerStep(ctx, deps, ids, options.onEvent));
  registry.register(ids.end, async (_ctx, { start, state }: Named): Promise<PlannerResult> => {
    const hook = state.status === 'complete' && options.onComplete !== undefined;
    if (hook) {
      await options.onComplete?.(start.settings.goal, {
        finalResult: state.finalResult,
        completedTasks: state.completed,
        sharedState: state.storedInfo,
      });
    }
    return toPlannerResult(start.settings, state, hook);
  });

  registry.register(ids.planPrompt, (_ctx, start: PlannerStart) => planPrompt(start.settings, start.state));
  registry.register(ids.refinePrompt, (_ctx, { start, state, result }: Named) =>
    refinePrompt(start.settings, state, state.current?.task ?? '', resultText(result)),
  );
  registry.register(ids.checkPrompt, (_ctx, { start, state }: Named) => checkPrompt(start.settings, state));
  registry.register(ids.workerPrompt, (_ctx, { start, state }: Named) =>
    workerPrompt(
      buildWorkerContext(
        {
          goal: start.settings.goal,
          remainingTasks: state.pending.map((t) => t.task),
          currentTask: state.current?.task ?? '',
          finalResult: state.finalResult,
          sharedState: state.storedInfo,
          completedTasks: state.completed,
        },
        start.settings.workerContext,
      ),
    ),
  );
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
    registry.register(ids.check, async (ctx, { start, state }: Named) =>
      checked(
        `completion check "${ctx.taskId}"`,
        await check({
          goal: start.settings.goal,
          sharedState: state.storedInfo,
          finalResult: state.finalResult,
          completedTasks: state.completed,
        }),
      ),
    );
  }

  const planner: Planner = {
    ids,
    graph(input) {
      const toolList = tools.map((tool) => ({ name: tool.name, description: tool.description }));
      const settings = resolvePlannerSettings(input, toolList, { refine: !!refine, check: !!check });
      const tasks = (input.tasks ?? []).map(toPlannedTask);
      const graph = new TaskGraph();
      graph.setOutput(
        graph.addFunction({
          id: settings.id,
          fn: ids.start,
          args: { settings, tasks } as unknown as JsonValue,
        }),
      );
      return graph;
    },
    async run(input, runOptions = {}) {
      const graph = planner.graph(input);
      await graph.run(registry, runOptions);
      const result = planner.result(graph, input.id);
      if (!result) {
        throw new TaskGraphError(
          'TASK_FAILED',
          `Planner.run: planner "${input.id ?? 'planner'}" ended without its end task.`,
        );
      }
      return { result, graph };
    },
    result: (graph, id = 'planner') => plannerResult(graph, id, ids.end),
  };
  return planner;
}

function resultText(result: WorkResult | undefined): string {
  if (result === undefined) return '';
  return typeof result === 'string'
    ? result
    : `${result.tool}(${JSON.stringify(result.input)}) -> ${toolCallText(result)}`;
}
