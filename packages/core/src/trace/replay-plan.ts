import { sealFingerprints } from '../memo/fingerprints.js';
import { decideStage, type PlanCause } from '../memo/stage-decision.js';
import type { ForceOptions } from '../model/force-set.js';
import { ForceSet } from '../model/force-set.js';
import type { FunctionRegistry } from '../model/registry.js';
import type { Stage, Task, TaskKind } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';

export type { PlanCause };

/**
 * reuse: the stored result is used, nothing runs. rerun: the task runs (a stage whose fingerprint no
 * longer matches, or one downstream of such a stage). recreate: its creator re-runs, and it is reused if
 * created again with the same definition and inputs, dropped if not created again.
 */
export type PlanAction = 'reuse' | 'rerun' | 'recreate';

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
  /** LLM tasks in the plan whose call is planned (their response stage re-runs); re-created tasks aside. */
  llmCalls: number;
  /** LLM tasks to be re-created by a re-run creator: each makes a call unless created again unchanged. */
  recreatedLLMTasks: number;
  /**
   * The LLM calls the replay makes, as a range: `min` of tasks that call whatever their upstream gives
   * (no stored response, an edited prompt, forced, failed), `max` adds those that call only if a re-run
   * upstream changes their prompt and every re-created LLM task. Equal bounds are an exact count. Not
   * counted: repair calls after a parser rejects a reply, and LLM tasks a re-run creator adds anew.
   */
  llmCallRange: LLMCallRange;
}

export interface LLMCallRange {
  min: number;
  max: number;
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
  graph: TaskGraphBase,
  registry?: FunctionRegistry,
  options: PlanOptions = {},
): ReplayPlan {
  const tasks: TaskPlan[] = [];
  const recreated = { llm: 0 };
  if (graph.unsealed) sealFingerprints(graph);
  planGraph(graph, registry, new ForceSet(options.force), [], false, tasks, recreated);
  const counts: Record<PlanAction, number> = { reuse: 0, rerun: 0, recreate: 0 };
  let llmCalls = 0;
  let certain = 0;
  for (const plan of tasks) {
    counts[plan.action]++;
    if (!plan.llmCall) continue;
    llmCalls++;
    if (plan.stages.some((stage) => stage.stage === 'response' && stage.cause !== 'upstream')) certain++;
  }
  const llmCallRange = { min: certain, max: llmCalls + recreated.llm };
  return { tasks, counts, llmCalls, recreatedLLMTasks: recreated.llm, llmCallRange };
}

function planGraph(
  graph: TaskGraphBase,
  registry: FunctionRegistry | undefined,
  force: ForceSet,
  path: string[],
  inputChanges: boolean,
  out: TaskPlan[],
  recreated: { llm: number },
): boolean {
  const actions = new Map<string, PlanAction>();
  let anyChange = false;
  for (const id of graph.topologicalOrder()) {
    const task = graph.task(id) as Task;
    const taskPath = [...path, id];
    if (task.createdBy !== undefined && actions.get(task.createdBy) !== 'reuse') {
      actions.set(id, 'recreate');
      anyChange = true;
      if (task.descriptor.callsLLM) recreated.llm++;
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
    let upstream = task.readsInput && inputChanges ? [...changedDeps, '(graph input)'] : changedDeps;
    const stages: StagePlan[] = [];
    for (const def of task.descriptor.stages) {
      const fnId = def.fnId(task);
      const version =
        fnId === undefined
          ? undefined
          : registry
            ? registry.get(fnId, taskPath).version
            : task.versions[def.stage];
      const decision = decideStage({
        graph,
        task,
        taskPath,
        stage: def.stage,
        fnId,
        version,
        force,
        upstream: upstream.length > 0,
      });
      const plan: StagePlan =
        decision.action === 'reuse'
          ? { stage: def.stage, action: 'reuse' }
          : decision.cause === 'upstream'
            ? { stage: def.stage, action: 'rerun', cause: 'upstream', upstream }
            : { stage: def.stage, action: 'rerun', cause: decision.cause };
      stages.push(plan);
      // Each later stage is computed from this one.
      upstream = plan.action === 'rerun' ? [`(${def.stage})`] : [];
    }
    const index = out.length;
    let nestedChange = false;
    const nested = task.descriptor.nested?.graph(task);
    if (nested) {
      out.push(placeholder(taskPath, task.kind));
      const inputReruns = stages.some((stage) => stage.action === 'rerun');
      nestedChange = planGraph(nested, registry, force, taskPath, inputReruns, out, recreated);
    }
    const rerun = stages.find((stage) => stage.action === 'rerun');
    const action: PlanAction = rerun || nestedChange ? 'rerun' : 'reuse';
    actions.set(id, action);
    if (action !== 'reuse') anyChange = true;
    const plan: TaskPlan = {
      taskPath,
      kind: task.kind,
      action,
      reason: rerun ? describe(rerun, task) : nestedChange ? 'tasks of its nested graph re-run' : '',
      stages,
      llmCall: stages.some((stage) => stage.stage === 'response' && stage.action === 'rerun'),
    };
    if (nested) out[index] = plan;
    else out.push(plan);
  }
  return anyChange;
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
  changed: (s) => `${s.stage}: an input of it was edited`,
};

function describe(stage: StagePlan, task: Task): string {
  if (stage.cause === 'changed') {
    // The kind says what an edit that changes this stage's fingerprint must have touched.
    const def = task.descriptor.stages.find((d) => d.stage === stage.stage);
    if (def) return `${stage.stage}: ${def.changed}`;
  }
  return WHY[stage.cause ?? 'changed'](stage);
}
