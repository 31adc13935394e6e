import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, TaskGraphError } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastUser, scriptedPlanner } from '../../test/scripted-planner.js';
import { readPlannerPersist } from './planner-persist.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'planner-persist-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('planner persist files', () => {
  it('R0-9 resumes from the original persist file: stored_info, final_result and completed tasks, no planning', async () => {
    const path = join(dir, 'goal.json');
    // As the original writes it (_save_persist).
    await writeFile(
      path,
      JSON.stringify({
        stored_info: { city: 'Oslo' },
        final_result: { intro: 'Oslo facts' },
        current_tasks: ['b'],
        completed_tasks: { a: 'found Oslo' },
      }),
    );
    const snapshot = await readPlannerPersist(path);
    const { planner, model, take } = scriptedPlanner({
      refine: (task) => (task === 'b' ? { current_tasks: ['a', 'c'], final_result: { b: 1 } } : {}),
    });
    const out = join(dir, 'after.json');
    const { result } = await planner.run(
      { goal: 'g', allowRepeatTasks: false, workerContext: { includeCompleted: true }, ...snapshot },
      { persist: out },
    );
    const firstWorker = model.requests[0]?.request ?? { prompt: '', params: {} };
    expect(lastUser(firstWorker)).toContain('Your task: b');
    expect(JSON.stringify(firstWorker.prompt)).toContain('{\\"city\\":\\"Oslo\\"}');
    expect(JSON.stringify(firstWorker.prompt)).toContain('found Oslo');
    expect(take()).toEqual(['worker', 'refine', 'worker', 'refine', 'check']);
    expect(result.completedTasks).toEqual([
      { task: 'a', result: 'found Oslo' },
      { task: 'b', result: 'done: b' },
      { task: 'c', result: 'done: c' },
    ]);
    expect(result.skipped).toEqual(['a']);
    expect(result.finalResult).toEqual({ intro: 'Oslo facts', b: 1 });
    expect(result.storedInfo).toEqual({ city: 'Oslo' });
    // The file written as the run went on reads back as the state it ended with.
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual({
      stored_info: { city: 'Oslo' },
      final_result: { intro: 'Oslo facts', b: 1 },
      current_tasks: [],
      completed_tasks: { a: 'found Oslo', b: 'done: b', c: 'done: c' },
    });
  });

  it('R0-9 a run stopped after task 2 of 4 resumes from its persist file: only tasks 3 and 4 run', async () => {
    const script = {
      plan: [{ current_tasks: ['a', 'b', 'c', 'd'] }],
      refine: (task: string) => (task === 'd' ? { goal_complete: true } : { stored_info: { [task]: true } }),
    };
    const path = join(dir, 'run.persist.json');
    const first = scriptedPlanner(script);
    const controller = new AbortController();
    const stopAfterStep3 = (event: RunEvent) => {
      if (event.type === 'task:done' && /\/step-3(@\d+)?$/.test(event.taskPath.at(-1) ?? ''))
        controller.abort();
    };
    const stopped = (await first.planner
      .run({ goal: 'four' }, { persist: path, signal: controller.signal, onEvent: stopAfterStep3 })
      .catch((e: unknown) => e)) as TaskGraphError;
    expect(stopped.code).toBe('CANCELLED');
    const snapshot = await readPlannerPersist(path);
    expect(snapshot).toMatchObject({
      tasks: [{ task: 'c' }, { task: 'd' }],
      storedInfo: { a: true, b: true },
    });

    const second = scriptedPlanner(script);
    const { result } = await second.planner.run({ goal: 'four', ...snapshot });
    expect(second.take()).toEqual(['worker', 'refine', 'worker', 'refine']);
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.status).toBe('complete');
  });

  it('R0-9 a missing persist file is a fresh start; a corrupt one is a typed error naming the JSON path', async () => {
    expect(await readPlannerPersist(join(dir, 'none.json'))).toBeUndefined();
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"current_tasks": ["a"], "completed_tasks": 3}');
    const error = (await readPlannerPersist(bad).catch((e: unknown) => e)) as TaskGraphError;
    expect(error.code).toBe('INVALID_PLANNER_STATE');
    expect(error.message).toContain('$.completed_tasks');
    await writeFile(bad, '{"current_tasks": ');
    expect(((await readPlannerPersist(bad).catch((e: unknown) => e)) as TaskGraphError).code).toBe(
      'INVALID_PLANNER_STATE',
    );
    const { planner } = scriptedPlanner({});
    expect(() => planner.graph({ goal: 'g', completedTasks: [{ task: 1 } as never] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('R0-7 by default a reply gets two LLM repair calls, as the original', async () => {
    const fixedSecond = scriptedPlanner({
      plan: ['garbage'],
      repair: ['still garbage', '{"current_tasks": ["a"]}'],
    });
    const { result } = await fixedSecond.planner.run({ goal: 'g' });
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a']);
    expect(fixedSecond.take().slice(0, 3)).toEqual(['plan', 'repair', 'repair']);

    const never = scriptedPlanner({ plan: ['garbage'], repair: ['still garbage'] });
    const error = (await never.planner.run({ goal: 'g' }).catch((e: unknown) => e)) as TaskGraphError;
    expect((error.cause as TaskGraphError).code).toBe('OUTPUT_PARSE');
    expect(never.take()).toEqual(['plan', 'repair', 'repair']);
  });
});
