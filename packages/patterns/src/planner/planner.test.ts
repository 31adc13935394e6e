import type { TaskGraphError } from '@taskgraph/core';
import { TaskGraph } from '@taskgraph/core';
import { describe, expect, it, vi } from 'vitest';
import { scriptedPlanner } from '../../test/scripted-planner.js';
import type { PlannerEvent } from './planner-events.js';
import { plannerStateAt } from './planner-history.js';
import type { PlannerState, PlannerStateWithLists } from './planner-state.js';

/** Each step's state with the run's lists up to it, by step. */
const stepStates = (graph: TaskGraph) =>
  [...graph.tasks()]
    .filter((t) => /\/step-\d+(@\d+)?$/.test(t.id) && t.output)
    .map((t) => plannerStateAt(graph, t.id) as PlannerStateWithLists)
    .sort((a, b) => a.step - b.step);

describe('planner', () => {
  it('R0-1 the plan becomes tasks the planner adds to the graph, run one after the other in list order', async () => {
    const { planner, take } = scriptedPlanner({ plan: [{ current_tasks: ['a', 'b', 'c'] }] });
    const { result, graph } = await planner.run({ goal: 'three things' });
    const work = [...graph.tasks()].filter((t) => /\/task-\d+(@\d+)?$/.test(t.id));
    expect(work.map((t) => t.id)).toEqual(['planner/task-1@2', 'planner/task-2@3', 'planner/task-3@4']);
    expect(work.map((t) => t.createdBy)).toEqual(['planner/step-1', 'planner/step-2@2', 'planner/step-3@3']);
    const started = work.map((t) => t.startedAt ?? 0);
    expect([...started].sort((x, y) => x - y)).toEqual(started);
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a', 'b', 'c']);
    expect(take()).toEqual(['plan', 'worker', 'refine', 'worker', 'refine', 'worker', 'refine', 'check']);
  });

  it('R0-2 a refine replacing the pending list leaves only its tasks; the dropped ones are recorded as cancelled', async () => {
    const { planner } = scriptedPlanner(
      { plan: [{ current_tasks: ['a', 'b', 'c'] }] },
      { refine: ({ task }) => (task.task === 'a' ? { replacePending: ['c2'] } : {}) },
    );
    const { result, graph } = await planner.run({ goal: 'g' });
    const afterA = stepStates(graph).find((s) => s.step === 2) as PlannerStateWithLists;
    expect(afterA.current?.task).toBe('c2');
    expect(afterA.pending).toEqual([]);
    expect(afterA.cancelled).toEqual(['b', 'c']);
    expect(afterA.events).toContainEqual({ type: 'tasks_cancelled', step: 2, tasks: ['b', 'c'] });
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a', 'c2']);
    expect(result.cancelled).toEqual(['b', 'c']);
  });

  it('R0-3 two patches {x:1} then {y:2} give {x:1,y:2}, and the trace holds both intermediate states', async () => {
    const { planner } = scriptedPlanner({
      plan: [{ current_tasks: ['a', 'b'] }],
      refine: (task) => ({ stored_info: task === 'a' ? { x: 1 } : { y: 2 } }),
    });
    const { result, graph } = await planner.run({ goal: 'g' });
    expect(result.storedInfo).toEqual({ x: 1, y: 2 });
    const saved = graph.toJSON().graph.tasks.filter((t) => /\/step-\d+(@\d+)?$/.test(t.id));
    const infos = saved.map((t) => (t.output as PlannerState).storedInfo);
    expect(infos).toContainEqual({ x: 1 });
    expect(infos).toContainEqual({ x: 1, y: 2 });
  });

  it('R0-4 the completion hook runs once, sees the completing patch, and tasks of that reply never run', async () => {
    const calls: unknown[] = [];
    const { planner, registry, take } = scriptedPlanner(
      {
        plan: [{ current_tasks: ['a', 'b'] }],
        refine: () => ({
          goal_complete: true,
          current_tasks: ['x'],
          stored_info: { k: 1 },
          final_result: { answer: 42 },
        }),
      },
      { onComplete: (goal, result) => calls.push({ goal, ...result }) },
    );
    const { result, graph } = await planner.run({ goal: 'the goal' });
    expect(calls).toEqual([
      {
        goal: 'the goal',
        finalResult: { answer: 42 },
        completedTasks: [{ task: 'a', result: 'done: a' }],
        sharedState: { k: 1 },
      },
    ]);
    expect(result).toMatchObject({ status: 'complete', hookCalled: true, cancelled: ['b', 'x'] });
    expect(take()).toEqual(['plan', 'worker', 'refine']);
    // A replay of the trace reuses the end task: the hook is not called again.
    await TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON()))).run(registry);
    expect(calls).toHaveLength(1);
  });

  it('R0-5 when no task is left, completion checks are bounded: status incomplete after N checks', async () => {
    const { planner, take } = scriptedPlanner({
      plan: [{ current_tasks: ['a'] }],
      check: () => ({ goal_complete: false, current_tasks: [] }),
    });
    const { result } = await planner.run({ goal: 'never done', maxCompletionChecks: 2 });
    expect(result.status).toBe('incomplete');
    expect(take().filter((kind) => kind === 'check')).toHaveLength(2);
  });

  it('R0-6 maxTasks, maxSteps and the LLM budget each end the run with their own status', async () => {
    const endless = { plan: [{ current_tasks: ['a', 'b', 'c', 'd', 'e'] }] };
    const tasks = await scriptedPlanner(endless).planner.run({ goal: 'g', maxTasks: 2 });
    expect(tasks.result).toMatchObject({ status: 'max_tasks', tasksRun: 2 });
    const steps = await scriptedPlanner(endless).planner.run({ goal: 'g', maxSteps: 3 });
    expect(steps.result).toMatchObject({ status: 'max_steps', steps: 3, tasksRun: 2 });
    const { planner } = scriptedPlanner(endless);
    const error = (await planner
      .run({ goal: 'g' }, { budget: { maxCalls: 4 } })
      .catch((e: unknown) => e)) as TaskGraphError;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.trace?.run?.error?.code).toBe('BUDGET_EXCEEDED');
    expect(error.trace?.run?.usage?.llmCalls).toBe(4);
  });

  it('R0-7 JSON replies: deterministic repairs make no call; LLM repairs are bounded by repairRetries', async () => {
    const truncated = scriptedPlanner({ plan: ['{"current_tasks": ["a"'] });
    await truncated.planner.run({ goal: 'g' });
    expect(truncated.take().filter((kind) => kind === 'repair')).toHaveLength(0);

    const script = { plan: ['garbage'], repair: ['still garbage', '{"current_tasks": ["a"]}'] };
    const once = scriptedPlanner(script);
    const error = (await once.planner
      .run({ goal: 'g', repairRetries: 1 })
      .catch((e: unknown) => e)) as TaskGraphError;
    expect((error.cause as TaskGraphError).code).toBe('OUTPUT_PARSE');
    expect((error.cause as { rawText?: string }).rawText).toBe('still garbage');
    expect(once.take()).toEqual(['plan', 'repair']);

    const twice = scriptedPlanner(script);
    const { result, graph } = await twice.planner.run({ goal: 'g', repairRetries: 2 });
    expect(twice.take().slice(0, 3)).toEqual(['plan', 'repair', 'repair']);
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a']);
    expect(graph.task('planner/repair-1@2')?.kind).toBe('llm');
    expect(graph.task('planner/repair-2@3')?.kind).toBe('llm');

    const skipped = scriptedPlanner({ plan: ['garbage'] });
    const skip = await skipped.planner.run({ goal: 'g', repairRetries: 0, onUnusableReply: 'skip' });
    expect(skip.result.status).toBe('complete');
  });

  it('R0-8 a plan reply without current_tasks fails with a typed error naming the key', async () => {
    const { planner } = scriptedPlanner({ plan: [{ tasks: ['a'] }] });
    const error = (await planner
      .run({ goal: 'g', repairRetries: 0 })
      .catch((e: unknown) => e)) as TaskGraphError;
    expect(error.code).toBe('TASK_FAILED');
    expect(error.taskId).toBe('planner/step-1');
    expect((error.cause as TaskGraphError).code).toBe('OUTPUT_PARSE');
    expect((error.cause as Error).message).toContain('current_tasks');
  });

  it('R0-10 with allowRepeatTasks false, a run skips re-added completed tasks and its trace lists them', async () => {
    const { planner, take } = scriptedPlanner({
      plan: [{ current_tasks: ['a'] }],
      refine: (task) => (task === 'a' ? { current_tasks: ['a', 'b'] } : {}),
    });
    const { result, graph } = await planner.run({ goal: 'g', allowRepeatTasks: false });
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a', 'b']);
    expect(result.skipped).toEqual(['a']);
    expect(stepStates(graph).find((s) => s.step === 2)?.events).toContainEqual({
      type: 'tasks_skipped',
      step: 2,
      tasks: ['a'],
    });
    expect(take().filter((kind) => kind === 'worker')).toHaveLength(2);
  });

  it('R0-16 events go to a pluggable sink: goal_complete exactly once', async () => {
    const events: PlannerEvent[] = [];
    const { planner } = scriptedPlanner(
      {
        plan: [{ current_tasks: ['a', 'b'], thoughts: 'two steps' }],
        refine: (t) => (t === 'b' ? { goal_complete: true } : {}),
      },
      { onEvent: (event) => events.push(event) },
    );
    await planner.run({ goal: 'g' });
    expect(events.filter((e) => e.type === 'goal_complete')).toEqual([{ type: 'goal_complete', step: 3 }]);
    expect(events.map((e) => e.type)).toEqual([
      'thoughts',
      'tasks_added',
      'task_started',
      'task_started',
      'goal_complete',
    ]);
    const log = vi.spyOn(console, 'log');
    const silent = scriptedPlanner({ plan: [{ current_tasks: ['a'] }] });
    await silent.planner.run({ goal: 'g' });
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });
});
