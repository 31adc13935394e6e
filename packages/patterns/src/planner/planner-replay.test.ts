import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, TaskGraphError } from '@taskgraph/core';
import { editTrace, loadTrace, planReplay, TaskGraph } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannerScript } from '../../test/scripted-planner.js';
import { scriptedPlanner } from '../../test/scripted-planner.js';
import { overridePlannerState } from './resume-planner.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'planner-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const fourTasks: PlannerScript = {
  plan: [{ current_tasks: ['a', 'b', 'c', 'd'] }],
  refine: (task) => (task === 'd' || task === 'z' ? { goal_complete: true } : {}),
};

/** Runs the four-task plan with a trace file and stops it (as a kill would) once task 2 is refined. */
async function interruptedAfterTask2(path: string) {
  const first = scriptedPlanner(fourTasks);
  const controller = new AbortController();
  const stopAfterRefine2 = (event: RunEvent) => {
    if (event.type === 'task:done' && /\/refine-2(@\d+)?$/.test(event.taskPath.at(-1) ?? ''))
      controller.abort();
  };
  const graph = first.planner.graph({ goal: 'four tasks' });
  const error = (await graph
    .run(first.registry, { trace: path, signal: controller.signal, onEvent: stopAfterRefine2 })
    .catch((e: unknown) => e)) as TaskGraphError;
  expect(error.code).toBe('CANCELLED');
  expect(first.take()).toEqual(['plan', 'worker', 'refine', 'worker', 'refine']);
}

describe('planner runs over time', () => {
  it('R0-9 a run stopped after task 2 of 4 resumes from its trace: only tasks 3 and 4 run, no planning again', async () => {
    const path = join(dir, 'run.json');
    await interruptedAfterTask2(path); // the file did not exist: a fresh start
    // The file as it is, journal aside, in the explicit form (a version 2 file leaves out "done").
    const saved = TaskGraph.fromJSON(JSON.parse(await readFile(path, 'utf8'))).toJSON();
    expect(saved.graph.tasks.find((t: { id: string }) => t.id === 'planner/refine-2@3')?.status).toBe('done');

    const second = scriptedPlanner(fourTasks); // a new process: new registry, graph built again
    const graph = second.planner.graph({ goal: 'four tasks' });
    await graph.run(second.registry, { trace: path });
    expect(second.take()).toEqual(['worker', 'refine', 'worker', 'refine']);
    expect(second.planner.result(graph)?.completedTasks.map((t) => t.task)).toEqual(['a', 'b', 'c', 'd']);

    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{ "format": "taskgraph-trace", ');
    const error = (await scriptedPlanner(fourTasks)
      .planner.graph({ goal: 'four tasks' })
      .run(second.registry, { trace: corrupt })
      .catch((e: unknown) => e)) as TaskGraphError;
    expect(error.code).toBe('INVALID_TRACE');
  });

  it('R0-9 overrides given on resume replace the stored pending list and final result', async () => {
    const path = join(dir, 'run.json');
    await interruptedAfterTask2(path);
    const resumed = scriptedPlanner(fourTasks);
    const graph = await loadTrace(path);
    const plan = overridePlannerState(graph, { pending: ['z'], finalResult: { note: 'given on resume' } });
    // Reused: planner, plan, step-1, task-1, refine-1 and step-2 (its edited output). Task b and its
    // refine run again (b's prompt lists the new pending tasks), and step-3 had not run.
    expect(plan.counts).toEqual({ reuse: 6, rerun: 3, recreate: 0 });
    await graph.run(resumed.registry, { trace: path });
    const result = resumed.planner.result(graph);
    expect(result?.completedTasks.map((t) => t.task)).toEqual(['a', 'b', 'z']);
    expect(result?.finalResult).toEqual({ note: 'given on resume' });
    expect(resumed.take()).not.toContain('plan');
  });

  it('R0-14 two planners running at once in one process share no state', async () => {
    const { planner } = scriptedPlanner({
      refine: (task) => ({ stored_info: { [task]: true }, goal_complete: true }),
    });
    const [alpha, beta] = await Promise.all([
      planner.run({ id: 'alpha', goal: 'alpha goal', tasks: ['alpha-task'] }),
      planner.run({ id: 'beta', goal: 'beta goal', tasks: ['beta-task'] }),
    ]);
    expect(alpha.result.storedInfo).toEqual({ 'alpha-task': true });
    expect(beta.result.storedInfo).toEqual({ 'beta-task': true });
    expect(alpha.result.completedTasks).toEqual([{ task: 'alpha-task', result: 'done: alpha-task' }]);
  });

  it('an edited refine reply re-runs only the steps after it', async () => {
    const script: PlannerScript = {
      plan: [{ current_tasks: ['a', 'b', 'c'] }],
      refine: (task) => (task === 'c' ? { goal_complete: true } : {}),
    };
    const { planner, registry, take } = scriptedPlanner(script);
    const { graph: first } = await planner.run({ goal: 'three tasks' });
    expect(take()).toEqual(['plan', 'worker', 'refine', 'worker', 'refine', 'worker', 'refine']);

    const graph = TaskGraph.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    // After task a, the refine now also stores a fact and appends task d.
    editTrace(graph, {
      task: 'planner/refine-1@2',
      field: 'response',
      value: '{"current_tasks": ["b", "c", "d"], "stored_info": {"edited": true}}',
    });
    const plan = planReplay(graph, registry);
    expect(plan.counts).toEqual({ reuse: 4, rerun: 2, recreate: 7 });
    expect(plan.llmCalls).toBe(0); // the edited response re-runs only its parser; its dependents are re-created

    const ran: string[] = [];
    const reused: string[] = [];
    await graph.run(registry, {
      onEvent: (event) => {
        if (event.type === 'task:start') ran.push(event.taskPath.join(''));
        if (event.type === 'task:reused') reused.push(event.taskPath.join(''));
      },
    });
    expect(reused).toEqual(['planner', 'planner/plan', 'planner/step-1', 'planner/task-1@2']);
    // Tasks b and c run again (their prompts now carry the stored fact); c completes the goal, d is cancelled.
    expect(ran).toEqual([
      'planner/refine-1@2', // its parser only: no LLM call
      'planner/step-2@2',
      'planner/task-2@3',
      'planner/refine-2@3',
      'planner/step-3@3',
      'planner/task-3@4',
      'planner/refine-3@4',
      'planner/step-4@4',
      'planner/end@5',
    ]);
    expect(take()).toEqual(['worker', 'refine', 'worker', 'refine']);
    const result = planner.result(graph);
    expect(result).toMatchObject({ status: 'complete', storedInfo: { edited: true }, cancelled: ['d'] });
  });
});
