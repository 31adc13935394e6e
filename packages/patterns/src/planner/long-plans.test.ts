import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecuteEnv, StageCall, StageOutcome, TaskExecutor } from '@taskgraph/core';
import { editTrace, InProcessExecutor, TaskGraph } from '@taskgraph/core';
import { describe, expect, it, vi } from 'vitest';
import type { PlannerScript } from '../../test/scripted-planner.js';
import { lastUser, scriptedPlanner } from '../../test/scripted-planner.js';
import { plannerStateAt } from './planner-history.js';
import type { PlannerState } from './planner-state.js';
import { overridePlannerState } from './resume-planner.js';

/**
 * Task i's refine adds task i + 1 until task `tasks`; after it, the refine adds `last` (by default
 * nothing), and "wrap up" or the completion check ends the run.
 */
function counting(tasks: number, last: string[] = []): PlannerScript {
  return {
    refine: (task) => {
      if (task === 'wrap up') return { goal_complete: true };
      const i = Number(/^task (\d+)$/.exec(task)?.[1] ?? tasks);
      return i < tasks ? { current_tasks: [`task ${i + 1}`] } : { current_tasks: last };
    },
  };
}

const input = (tasks: number) => ({
  goal: 'count',
  tasks: ['task 1'],
  maxTasks: tasks + 5,
  maxSteps: tasks + 10,
  allowRepeatTasks: false,
});

const stepOutput = (graph: TaskGraph, step: number) =>
  graph.task(`planner/step-${step}@${step}`)?.output?.value as PlannerState;

function failuresOf(error: unknown) {
  const { failures } = error as { failures?: Array<{ taskPath: string[]; error: { code?: string } }> };
  return failures?.map((failure) => [failure.taskPath, failure.error.code]);
}

describe('a long planner run', () => {
  it('each step stores the same bytes at step 100 as at step 290; the result holds every list whole', async () => {
    const { planner } = scriptedPlanner(counting(300));
    const { result, graph } = await planner.run(input(300));
    expect([result.status, result.tasksRun]).toEqual(['complete', 300]);
    const size = (step: number) => JSON.stringify(stepOutput(graph, step)).length;
    // Only the digits of the step and task numbers differ.
    expect(Math.abs(size(290) - size(100))).toBeLessThan(40);
    expect(stepOutput(graph, 290).added).toEqual({
      completed: [{ task: 'task 289', result: 'done: task 289' }],
    });
    // The states before step 290: the first task's and 289 steps'.
    expect(stepOutput(graph, 290).log.length).toBe(290);
    expect(result.completedTasks).toHaveLength(300);
    expect(result.completedTasks.at(-1)).toEqual({ task: 'task 300', result: 'done: task 300' });
    const rebuilt = plannerStateAt(graph, 'planner/step-290@290');
    expect(rebuilt?.completed.map((t) => t.task)).toEqual(
      result.completedTasks.slice(0, 289).map((t) => t.task),
    );
  });

  it('the no-repeat rule keeps out a task completed 300 steps before, however its text is spaced', async () => {
    const { planner, take } = scriptedPlanner(counting(300, ['task 1', '  TASK   150 ', 'wrap up']));
    const { result } = await planner.run(input(300));
    expect(result.skipped).toEqual(['task 1', '  TASK   150 ']);
    expect(result.completedTasks.map((t) => t.task).slice(-2)).toEqual(['task 300', 'wrap up']);
    expect(take().filter((kind) => kind === 'worker')).toHaveLength(301);
  });

  it('a trace loaded in another process replays an edit: the registry indexes its steps as it starts', async () => {
    const script = counting(12, ['task 2', 'wrap up']);
    const first = scriptedPlanner(script);
    const run = await first.planner.run({ ...input(12), workerContext: { includeCompleted: true } });
    const saved = JSON.parse(JSON.stringify(run.graph.toJSON()));

    // Fresh modules: nothing of the first run is known to them, as in a new process.
    vi.resetModules();
    const fresh = await import('../../test/scripted-planner.js');
    const second = fresh.scriptedPlanner(script);
    const graph = TaskGraph.fromJSON(saved);
    editTrace(graph, { task: 'planner/task-5@6', field: 'response', value: 'edited' });
    await graph.run(second.registry);
    // Task 6 runs again: its worker is told the completed tasks, the edited result among them.
    const workers = second.model.requests.filter((r) => fresh.callKind(r.request) === 'worker');
    expect(workers.map((r) => /Your task: (.*)/.exec(lastUser(r.request))?.[1])).toEqual([
      'task 6',
      'task 7',
      'task 8',
      'task 9',
      'task 10',
      'task 11',
      'task 12',
      'wrap up',
    ]);
    expect(JSON.stringify(workers[0]?.request.prompt)).toContain('edited');
    const result = second.planner.result(graph);
    expect(result?.completedTasks[4]).toEqual({ task: 'task 5', result: 'edited' });
    // The steps before the edit were reused; the no-repeat rule still reads them.
    expect(result?.skipped).toEqual(['task 2']);
    expect(result?.completedTasks).toHaveLength(13);
  });

  it('a state whose stored log was edited fails the run with UNKNOWN_PLANNER_HISTORY naming the step', async () => {
    const { planner } = scriptedPlanner(counting(12));
    const run = await planner.run(input(12));
    const saved = JSON.parse(JSON.stringify(run.graph.toJSON()));
    const step = saved.graph.tasks.find((task: { id: string }) => task.id === 'planner/step-5@5');
    step.output.log.hash = 'edited';

    vi.resetModules();
    const fresh = await import('../../test/scripted-planner.js');
    const error = await TaskGraph.fromJSON(saved)
      .run(fresh.scriptedPlanner(counting(12)).registry)
      .catch((e: unknown) => e);
    // Step 6 runs again on the edited state, and its no-repeat rule reads the tasks completed before.
    expect(failuresOf(error)).toEqual([[['planner/step-6@6'], 'UNKNOWN_PLANNER_HISTORY']]);

    // Without the no-repeat rule, the end is what reads the lists.
    const repeats = await scriptedPlanner(counting(3)).planner.run({ ...input(3), allowRepeatTasks: true });
    const savedRepeats = JSON.parse(JSON.stringify(repeats.graph.toJSON()));
    const last = savedRepeats.graph.tasks.find((task: { id: string }) => task.id === 'planner/step-4@4');
    last.output.log.length = 7;
    const atEnd = await TaskGraph.fromJSON(savedRepeats)
      .run(fresh.scriptedPlanner(counting(3)).registry)
      .catch((e: unknown) => e);
    expect(failuresOf(atEnd)).toEqual([[['planner/end@6'], 'UNKNOWN_PLANNER_HISTORY']]);
  });

  it('planner.run resuming an edited trace file in another process reads the reused steps', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'long-plan-'));
    const path = join(dir, 'plan.json');
    try {
      const script = counting(12, ['task 3', 'wrap up']);
      await scriptedPlanner(script).planner.run(input(12), { trace: path });
      const saved = JSON.parse(await readFile(path, 'utf8'));
      const refine = saved.graph.tasks.find((task: { id: string }) => task.id === 'planner/refine-12@13');
      // The last refine now also re-adds task 4, completed long before.
      refine.response = JSON.stringify({ current_tasks: ['task 3', 'task 4', 'wrap up'] });
      await writeFile(path, JSON.stringify(saved));

      vi.resetModules();
      const fresh = await import('../../test/scripted-planner.js');
      const { result } = await fresh.scriptedPlanner(script).planner.run(input(12), { trace: path });
      expect(result.skipped).toEqual(['task 3', 'task 4']);
      expect(result.completedTasks).toHaveLength(13);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('overridePlannerState with completedTasks replaces the whole list; the other lists are kept', async () => {
    const { planner, registry } = scriptedPlanner(counting(3, ['task 1', 'wrap up']));
    const run = await planner.run(input(3));
    expect(run.result.skipped).toEqual(['task 1']);
    const graph = TaskGraph.fromJSON(JSON.parse(JSON.stringify(run.graph.toJSON())));
    overridePlannerState(graph, { completedTasks: [{ task: 'given', result: 1 }] });
    await graph.run(registry);
    const result = planner.result(graph);
    expect(result?.completedTasks).toEqual([{ task: 'given', result: 1 }]);
    expect(result?.skipped).toEqual(['task 1']);
    const last = [...graph.tasks()].map((t) => t.output?.value as PlannerState).findLast((s) => s?.log);
    expect([last?.log.length, last?.added.completed]).toEqual([0, [{ task: 'given', result: 1 }]]);
  });

  it('on other processes, the steps, the gate and the end run in the scheduler, where the run is indexed', async () => {
    const script = counting(6, ['task 1', 'wrap up']);
    const scheduler = scriptedPlanner(script, { confirm: () => 'run' });
    // A worker process: its own modules (an empty index), given every call's values as JSON.
    vi.resetModules();
    const fresh = await import('../../test/scripted-planner.js');
    const worker = fresh.scriptedPlanner(script, { confirm: () => 'run' });
    const remote = new InProcessExecutor();
    const handed: string[] = [];
    const executor: TaskExecutor = {
      execute(call: StageCall, env: ExecuteEnv): Promise<StageOutcome> | StageOutcome {
        handed.push(call.type === 'function' ? call.fn : call.type);
        const args = call.type === 'function' ? JSON.parse(JSON.stringify(call.args)) : undefined;
        const wire = new Proxy(call, {
          get: (target, key) => (key === 'args' ? args : Reflect.get(target, key, target)),
        });
        return remote.execute(wire, { ...env, registry: worker.registry });
      },
    };
    const { result } = await scheduler.planner.run(
      { ...input(6), workerContext: { includeCompleted: true } },
      { executor },
    );
    expect(result.skipped).toEqual(['task 1']);
    expect(result.completedTasks.map((t) => t.task).at(-1)).toBe('wrap up');
    const ids = scheduler.planner.ids;
    for (const local of [ids.step, ids.gate, ids.end, ids.workerPrompt]) expect(handed).not.toContain(local);
    expect(handed).toContain('llm');
    expect(handed).toContain(ids.refinePrompt);
    expect(worker.take().filter((kind) => kind === 'worker')).toHaveLength(7);
  });
});
