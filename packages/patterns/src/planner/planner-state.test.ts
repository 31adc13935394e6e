import { describe, expect, it } from 'vitest';
import { mergeObjects } from './merge-objects.js';
import { applyPatch, initialPlannerState } from './planner-state.js';
import { buildWorkerContext } from './worker-context.js';

const keep = { merge: 'shallow' as const, allowRepeatTasks: true };

describe('planner state', () => {
  it('R0-3 patches merge shallow by default, deep on request, each into a new object', () => {
    const first = applyPatch(initialPlannerState(), { statePatch: { x: 1 } }, keep);
    const second = applyPatch(first, { statePatch: { y: 2 } }, keep);
    expect(first.storedInfo).toEqual({ x: 1 });
    expect(second.storedInfo).toEqual({ x: 1, y: 2 });
    const base = { lake: { name: 'Superior', area: 82_000 }, tags: ['a'] };
    const patch = { lake: { depth: 406 }, tags: ['b'] };
    expect(mergeObjects(base, patch, 'shallow')).toEqual({ lake: { depth: 406 }, tags: ['b'] });
    expect(mergeObjects(base, patch, 'deep')).toEqual({
      lake: { name: 'Superior', area: 82_000, depth: 406 },
      tags: ['b'],
    });
    expect(base).toEqual({ lake: { name: 'Superior', area: 82_000 }, tags: ['a'] });
  });

  it('R0-10 with allowRepeatTasks false, a task matching a completed one is not added and is listed as skipped', () => {
    const state = initialPlannerState([], { completed: [{ task: 'a', result: 'done' }] });
    const next = applyPatch(
      state,
      { addTasks: ['a', 'b', '  A '] },
      { merge: 'shallow', allowRepeatTasks: false },
    );
    expect(next.pending).toEqual([{ task: 'b' }]);
    expect(next.added.skipped).toEqual(['a', '  A ']);
    expect(next.events).toContainEqual({ type: 'tasks_skipped', step: 0, tasks: ['a', '  A '] });
    const repeat = applyPatch(state, { addTasks: ['a', 'b'] }, keep);
    expect(repeat.pending.map((t) => t.task)).toEqual(['a', 'b']);
  });

  it('R0-12 the worker context builder leaves the state deep-equal to before, called twice', () => {
    const input = {
      goal: 'g',
      remainingTasks: ['t2'],
      currentTask: 't1',
      finalResult: { answer: 'long answer text' },
      sharedState: { fact: 1 },
      completedTasks: [{ task: 't0', result: 'r0' }],
    };
    const before = structuredClone(input);
    const smart = buildWorkerContext(input, { includeCompleted: true, pickLarger: true });
    const again = buildWorkerContext(input, { includeCompleted: true, pickLarger: true });
    expect(input).toEqual(before);
    expect(again).toEqual(smart);
    expect(smart.info).toEqual({
      answer: 'long answer text',
      completed_tasks: [{ task: 't0', result: 'r0' }],
    });
    expect(buildWorkerContext(input).info).toEqual({
      final_result: { answer: 'long answer text' },
      stored_info: { fact: 1 },
    });
  });
});
