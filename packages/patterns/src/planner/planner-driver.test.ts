import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskGraphError } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { scriptedPlanner } from '../../test/scripted-planner.js';
import { externalAssistant } from '../shared/assistant.js';
import type { DriverPause } from './planner-driver.js';
import { readPlannerPersist } from './planner-persist.js';

describe('planner driven step by step', () => {
  it('R0-11 the driver pauses at each confirmation and each task for your own worker; no LLM call repeats', async () => {
    const { planner, model, take } = scriptedPlanner(
      {
        plan: [{ current_tasks: ['a', 'b', 'c'] }],
        refine: (task) => (task === 'c!' ? { goal_complete: true, final_result: { last: task } } : {}),
      },
      {
        confirm: true,
        workers: [externalAssistant({ name: 'me', description: 'I do it' })],
        defaultWorker: 'me',
      },
    );
    const dir = await mkdtemp(join(tmpdir(), 'planner-driver-'));
    const persist = join(dir, 'three.json');
    const driver = planner.driver({ goal: 'three' }, { persist });
    const seen: string[] = [];
    let pause: DriverPause = await driver.next();
    while (pause.type !== 'done') {
      if (pause.type === 'confirm') {
        seen.push(`confirm ${pause.request.task.task}`);
        const decision =
          pause.request.task.task === 'b' ? 'skip' : pause.request.task.task === 'c' ? { edit: 'c!' } : 'run';
        driver.answer(decision);
      } else if (pause.type === 'work') {
        seen.push(`work ${pause.task}`);
        expect(pause.messages.at(-1)?.content).toContain(`Your task: ${pause.task}`);
        driver.answer(`did ${pause.task}`);
      } else throw new Error(`unexpected pause ${pause.type}`);
      pause = await driver.next();
    }
    expect(seen).toEqual(['confirm a', 'work a', 'confirm b', 'confirm c', 'work c!']);
    expect(pause.result).toMatchObject({
      status: 'complete',
      completedTasks: [
        { task: 'a', result: 'did a' },
        { task: 'c!', result: 'did c!' },
      ],
      declined: ['b'],
      finalResult: { last: 'c!' },
    });
    // One planning call and one refine per task run: each next() reused everything before it.
    expect(model.requests).toHaveLength(3);
    expect(take()).toEqual(['plan', 'refine', 'refine']);
    expect(await driver.next()).toBe(pause);
    // The persist file followed the run across its pauses.
    expect(await readPlannerPersist(persist)).toMatchObject({
      tasks: [],
      finalResult: { last: 'c!' },
      completedTasks: [
        { task: 'a', result: 'did a' },
        { task: 'c!', result: 'did c!' },
      ],
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('R0-11 answering when nothing waits is a typed error', async () => {
    const { planner } = scriptedPlanner({ plan: [{ current_tasks: ['a'] }] });
    const driver = planner.driver({ goal: 'g' });
    expect(() => driver.answer('run')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect((await driver.next()).type).toBe('done');
    let error: TaskGraphError | undefined;
    try {
      driver.answer('run');
    } catch (e) {
      error = e as TaskGraphError;
    }
    expect(error?.code).toBe('INVALID_ARGUMENT');
  });
});
