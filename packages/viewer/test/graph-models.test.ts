import type { GraphDocument, TaskRecord } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { runTotals } from '../src/view-model/run-totals.js';
import { indexTrace } from '../src/view-model/task-index.js';
import { layoutInput } from '../web/src/graph/layout-input.js';
import {
  COLLAPSE_AT,
  createdGroupKey,
  groupsAround,
  isGroupOpen,
  taskGroups,
} from '../web/src/graph/task-groups.js';
import { layoutLevel } from '../web/src/layout/layout-level.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../web/src/layout/layout-types.js';
import { MAX_ROW } from '../web/src/layout/rank-layout.js';
import { applyUpdates, IDLE } from '../web/src/live-run.js';
import { navigate } from '../web/src/model/keyboard-nav.js';
import { liveTotals } from '../web/src/model/live-totals.js';
import { filterChoices, filteredOut } from '../web/src/model/task-filter.js';
import { timeline } from '../web/src/model/timeline.js';

function fn(id: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return { id, kind: 'function', fn: 'f', status: 'done', ...extra } as TaskRecord;
}

/** `root` creates `root/1`, which creates `root/2`… down a chain of `length` created tasks. */
function chain(length: number): GraphDocument {
  const tasks = [fn('root'), fn('free')];
  for (let i = 1; i <= length; i++) {
    const creator = i === 1 ? 'root' : `root/${i - 1}`;
    tasks.push(fn(`root/${i}`, { createdBy: creator, deps: [creator] }));
  }
  tasks.push(fn('after', { deps: [`root/${length}`, 'free'] }));
  return { tasks };
}

describe('timeline', () => {
  it('puts tasks on one clock in start order, counts how many ran at once, and LLM time apart', () => {
    const index = indexTrace({
      graph: {
        tasks: [
          fn('b', { startedAt: 1_010, durationMs: 20 }),
          fn('a', { startedAt: 1_000, durationMs: 10, attempts: 3 }),
          {
            ...fn('c', { startedAt: 1_005, durationMs: 30 }),
            kind: 'llm',
            promptFn: 'p',
            parser: 'x',
            handler: 'h',
          },
          fn('never', { status: 'pending' }),
        ] as TaskRecord[],
      },
    });
    const result = timeline(index, new Set(['c']));
    expect(result.bars.map((bar) => [bar.key, bar.startMs])).toEqual([
      ['a', 0],
      ['c', 5],
      ['b', 10],
    ]);
    // a ends as b starts: no overlap there; c overlaps both.
    expect(result.peakConcurrency).toBe(2);
    expect(result.spanMs).toBe(35);
    expect(result.llmMs).toBe(30);
    expect(result.functionMs).toBe(30);
    expect(result.notStarted).toBe(1);
    expect(result.bars.find((bar) => bar.key === 'a')?.attempts).toBe(3);
    expect(result.bars.find((bar) => bar.key === 'c')?.critical).toBe(true);
  });
});

describe('filters', () => {
  it('leave out the tasks that do not match every filter set', () => {
    const index = indexTrace({
      graph: { tasks: [fn('a'), fn('b', { status: 'failed' }), { ...fn('c'), fn: 'g' } as TaskRecord] },
    });
    expect(filterChoices(index)).toEqual({ status: ['done', 'failed'], kind: ['function'], fn: ['f', 'g'] });
    expect(filteredOut(index, {})).toBeUndefined();
    expect([...(filteredOut(index, { status: 'done', fn: 'f' }) ?? [])]).toEqual(['b', 'c']);
  });
});

describe('keyboard navigation', () => {
  it('goes up to a dependency, down to a dependent, and sideways in reading order', () => {
    const index = indexTrace({ graph: chain(3) });
    expect(navigate(index, undefined, 'ArrowDown')).toBe('root');
    expect(navigate(index, 'root/2', 'ArrowUp')).toBe('root/1');
    expect(navigate(index, 'root/2', 'ArrowDown')).toBe('root/3');
    expect(navigate(index, 'free', 'ArrowLeft')).toBe('root');
    expect(navigate(index, 'free', 'ArrowRight')).toBe('root/1');
    expect(navigate(index, 'free', 'End')).toBe('after');
    expect(navigate(index, 'after', 'ArrowRight')).toBe('after');
  });
});

describe('groups of created tasks', () => {
  it('group a creator with the tasks created down its chain; edges from outside go to the group', () => {
    const index = indexTrace({ graph: chain(5) });
    const groups = taskGroups(index);
    const key = createdGroupKey('root');
    expect(groups.groups.get(key)?.members).toEqual([
      'root',
      'root/1',
      'root/2',
      'root/3',
      'root/4',
      'root/5',
    ]);
    expect(groupsAround(index, groups, 'root/3')).toEqual([key]);
    const closed = layoutInput(index, groups, () => false, new Map());
    expect(closed.nodes.map((node) => node.key)).toEqual([key, 'free', 'after']);
    expect(closed.edges).toEqual([
      { from: key, to: 'after' },
      { from: 'free', to: 'after' },
    ]);
    const open = layoutInput(index, groups, () => true, new Map());
    expect(open.nodes[0]?.inner?.nodes.map((node) => node.key)).toEqual(groups.groups.get(key)?.members);
    expect(open.nodes[0]?.inner?.edges).toContainEqual({ from: 'root/1', to: 'root/2' });
  });

  it('start open when small and closed past a size; a toggle flips either', () => {
    const small = indexTrace({ graph: chain(COLLAPSE_AT - 1) });
    const large = indexTrace({ graph: chain(COLLAPSE_AT + 1) });
    const key = createdGroupKey('root');
    expect(isGroupOpen(small, taskGroups(small), new Set(), key)).toBe(true);
    expect(isGroupOpen(large, taskGroups(large), new Set(), key)).toBe(false);
    expect(isGroupOpen(large, taskGroups(large), new Set([key]), key)).toBe(true);
  });

  it('leave a chain too short alone', () => {
    const index = indexTrace({ graph: chain(2) });
    expect(taskGroups(index).groups.size).toBe(0);
  });
});

describe('layout in reading order', () => {
  it('places the tasks of a rank left to right in file order (dagre)', () => {
    const level = {
      nodes: ['s0', 's1', 's2', 'join'].map((key) => ({ key, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges: ['s0', 's1', 's2'].map((from) => ({ from, to: 'join' })),
    };
    const layout = layoutLevel(level);
    const x = (key: string) => layout.placements[key]?.x ?? Number.NaN;
    expect(x('s0')).toBeLessThan(x('s1'));
    expect(x('s1')).toBeLessThan(x('s2'));
  });

  it('wraps a wide rank onto rows of at most MAX_ROW tasks (rank layout)', () => {
    const size = 1_000;
    const nodes = Array.from({ length: size }, (_, i) => ({
      key: `n${i}`,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    }));
    const layout = layoutLevel({ nodes, edges: [] });
    const rows = new Map<number, number>();
    for (const place of Object.values(layout.placements)) rows.set(place.y, (rows.get(place.y) ?? 0) + 1);
    expect(Math.max(...rows.values())).toBe(MAX_ROW);
    expect(rows.size).toBe(Math.ceil(size / MAX_ROW));
  });
});

describe('live totals', () => {
  it('count each task the replay reached under its live status, and swap a re-called task’s tokens', () => {
    const llm = {
      ...fn('ask', { status: 'done' }),
      kind: 'llm',
      promptFn: 'p',
      parser: 'x',
      handler: 'h',
      response: 'r',
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
      costUsd: 0.5,
    } as TaskRecord;
    const trace = { graph: { tasks: [fn('a'), fn('b'), llm] } };
    const index = indexTrace(trace);
    const stored = runTotals({}, index);
    const live = applyUpdates(IDLE, [
      { type: 'event', event: { type: 'run:start', at: 0, tasks: 3 } },
      { type: 'event', event: { type: 'task:reused', taskPath: ['a'], kind: 'function' } },
      { type: 'event', event: { type: 'task:start', taskPath: ['b'], kind: 'function' } },
      { type: 'event', event: { type: 'task:start', taskPath: ['ask'], kind: 'llm' } },
      {
        type: 'event',
        event: {
          type: 'llm:usage',
          taskPath: ['ask'],
          handler: 'h',
          model: 'm',
          usage: { promptTokens: 20, completionTokens: 2, totalTokens: 22 },
          costUsd: 0.25,
        },
      },
    ]);
    const totals = liveTotals(stored, index, live);
    expect(totals.byStatus.done).toBe(1);
    expect(totals.byStatus.running).toBe(2);
    expect(totals.totalTokens).toBe(22);
    expect(totals.costUsd).toBe(0.25);
    expect(live.usage.calls).toBe(1);
  });
});
