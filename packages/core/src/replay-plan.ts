import type { ForceOptions } from './force-set.js';
import { ForceSet } from './force-set.js';
import { sealFingerprints, storedStageMatches } from './memo.js';
import type { FunctionRegistry } from './registry.js';
import type { AnyTask, Stage, TaskKind } from './task.js';
import type { TaskGraph } from './task-graph.js';

/**
 * reuse: the stored result is used, nothing runs. rerun: the task runs (a stage whose fingerprint no
 * longer matches, or one downstream of such a stage). recreate: its creator re-runs, and it is reused if
 * created again with the same definition and inputs, dropped if not created again.
 */
export type PlanAction = 'reuse' | 'rerun' | 'recreate';

/**
 * Why a stage re-runs: missing (no stored value), failed (the task failed last time), forced,
 * upstream (something it depends on re-runs), version (its function's version changed), changed (its
 * fingerprint no longer matches the stored values: an input of it was edited).
 */
export type PlanCause = 'missing' | 'failed' | 'forced' | 'upstream' | 'version' | 'changed';

export interface StagePlan {
  stage: Stage;
  action: 'reuse' | 'rerun';
  cause?: PlanCause;
  /** For `upstream`: the dependencies (or earlier stage) that re-run. */
  upstream?: string[];
}

export interface TaskPlan {
  taskPath: string[];
  kind: TaskKind;
  action: PlanAction;
  /** One sentence: why the task re-runs (empty when reused). */
  reason: string;
  stages: StagePlan[];
  /** Whether the replay will call the LLM for this task (its response stage re-runs). */
  llmCall: boolean;
}

export interface ReplayPlan {
  /** Every task, in topological order, nested graphs after their GraphTask. */
  tasks: TaskPlan[];
  counts: Record<PlanAction, number>;
  /** LLM calls the replay will make, at most (an upstream re-run that gives the same value saves some). */
  llmCalls: number;
  /** LLM tasks to be re-created by a re-run creator: each makes a call unless created again unchanged. */
  recreatedLLMTasks: number;
}

export interface PlanOptions {
  force?: ForceOptions;
}

/**
 * What a replay of `graph` with `registry` would do, without running anything: the same rules as
 * TaskGraph.run. A task downstream of a re-run is planned to re-run; at run time it is still reused
 * if the re-run gives exactly the value it had.
 */
export function planReplay(
  graph: TaskGraph,
  registry?: FunctionRegistry,
  options: PlanOptions = {},
): ReplayPlan {
  const tasks: TaskPlan[] = [];
  if (graph.unsealed) sealFingerprints(graph);
  planGraph(graph, registry, new ForceSet(options.force), [], false, tasks);
  const counts: Record<PlanAction, number> = { reuse: 0, rerun: 0, recreate: 0 };
  let llmCalls = 0;
  let recreatedLLMTasks = 0;
  for (const plan of tasks) {
    counts[plan.action]++;
    if (plan.llmCall) llmCalls++;
    if (plan.action === 'recreate' && plan.kind === 'llm') recreatedLLMTasks++;
  }
  return { tasks, counts, llmCalls, recreatedLLMTasks };
}

function planGraph(
  graph: TaskGraph,
  registry: FunctionRegistry | undefined,
  force: ForceSet,
  path: string[],
  inputChanges: boolean,
  out: TaskPlan[],
): boolean {
  const actions = new Map<string, PlanAction>();
  let anyChange = false;
  for (const id of graph.topologicalOrder()) {
    const task = graph.task(id) as AnyTask;
    const taskPath = [...path, id];
    if (task.createdBy !== undefined && actions.get(task.createdBy) !== 'reuse') {
      actions.set(id, 'recreate');
      anyChange = true;
      out.push({
        taskPath,
        kind: task.kind,
        action: 'recreate',
        reason: `its creator "${task.createdBy}" re-runs`,
        stages: [],
        llmCall: false,
      });
      continue;
    }
    const changedDeps = task.dependencyIds.filter((dep) => actions.get(dep) !== 'reuse');
    const upstream = task.readsInput && inputChanges ? [...changedDeps, '(graph input)'] : changedDeps;
    const check = (stage: Stage, fnId: string | undefined, before: string[]) =>
      planStage(graph, registry, force, task, taskPath, stage, fnId, before);
    const stages: StagePlan[] = [];
    const index = out.length;
    let nestedChange = false;
    switch (task.kind) {
      case 'function':
        stages.push(check('output', task.fn, upstream));
        break;
      case 'llm': {
        const prompt = check('prompt', task.promptFn, upstream);
        const response = check('response', undefined, prompt.action === 'rerun' ? ['(prompt)'] : []);
        const parserFn = 'fn' in task.parser ? task.parser.fn : undefined;
        const output = check('output', parserFn, response.action === 'rerun' ? ['(response)'] : []);
        stages.push(prompt, response, output);
        break;
      }
      case 'graph': {
        const input = check('input', task.inputFn, upstream);
        stages.push(input);
        out.push(placeholder(taskPath, task.kind));
        nestedChange = planGraph(task.graph, registry, force, taskPath, input.action === 'rerun', out);
        break;
      }
    }
    const rerun = stages.find((stage) => stage.action === 'rerun');
    const action: PlanAction = rerun || nestedChange ? 'rerun' : 'reuse';
    actions.set(id, action);
    if (action !== 'reuse') anyChange = true;
    const plan: TaskPlan = {
      taskPath,
      kind: task.kind,
      action,
      reason: rerun ? describe(rerun, task.kind) : nestedChange ? 'tasks of its nested graph re-run' : '',
      stages,
      llmCall: stages.some((stage) => stage.stage === 'response' && stage.action === 'rerun'),
    };
    if (task.kind === 'graph') out[index] = plan;
    else out.push(plan);
  }
  return anyChange;
}

function planStage(
  graph: TaskGraph,
  registry: FunctionRegistry | undefined,
  force: ForceSet,
  task: AnyTask,
  taskPath: string[],
  stage: Stage,
  fnId: string | undefined,
  upstream: string[],
): StagePlan {
  const rerun = (cause: PlanCause, names?: string[]): StagePlan =>
    names ? { stage, action: 'rerun', cause, upstream: names } : { stage, action: 'rerun', cause };
  if (!task.slot(stage)) return rerun(task.status === 'failed' ? 'failed' : 'missing');
  if (force.has(taskPath, fnId)) return rerun('forced');
  // A value without a fingerprint (written by hand without one) is taken as it is, as TaskGraph.run does.
  if (task.fingerprints[stage] === undefined) return { stage, action: 'reuse' };
  if (upstream.length > 0) return rerun('upstream', upstream);
  const version =
    fnId === undefined ? undefined : registry ? registry.get(fnId, taskPath).version : task.versions[stage];
  if (fnId !== undefined && task.fingerprints[stage] !== undefined && task.versions[stage] !== version)
    return rerun('version');
  return storedStageMatches(graph, task, stage, version).reuse
    ? { stage, action: 'reuse' }
    : rerun('changed');
}

function placeholder(taskPath: string[], kind: TaskKind): TaskPlan {
  return { taskPath, kind, action: 'reuse', reason: '', stages: [], llmCall: false };
}

const WHY: Record<PlanCause, (stage: StagePlan) => string> = {
  missing: (s) => `no stored ${s.stage}`,
  failed: () => 'it failed last time',
  forced: () => 'forced',
  upstream: (s) =>
    `${s.stage}: ${(s.upstream ?? []).join(', ')} re-run${(s.upstream ?? []).length === 1 ? 's' : ''}`,
  version: (s) => `${s.stage}: its function's version changed`,
  changed: (s) => CHANGED[s.stage],
};

/** What an edit that changes a stage's fingerprint (with nothing upstream re-running) must have touched. */
const CHANGED: Record<Stage, string> = {
  prompt: 'prompt: a dependency output, the graph input or its args were edited',
  response: 'response: its prompt or params were edited',
  output: 'output: a dependency output, the graph input or its args were edited',
  input: 'input: a dependency output, the graph input or its args were edited',
};

function describe(stage: StagePlan, kind: TaskKind): string {
  if (kind === 'llm' && stage.stage === 'output' && stage.cause === 'changed')
    return 'output: its response was edited';
  return WHY[stage.cause ?? 'changed'](stage);
}
