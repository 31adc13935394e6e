import type { TaskRecord, TraceDocument } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { criticalPath } from './critical-path.js';
import { indexTrace } from './task-index.js';

function fn(id: string, durationMs: number | undefined, deps: string[] = []): TaskRecord {
  return {
    id,
    kind: 'function',
    fn: 'f',
    status: 'done',
    ...(deps.length > 0 ? { deps } : {}),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

function trace(tasks: TaskRecord[]): Pick<TraceDocument, 'graph'> {
  return { graph: { tasks } };
}

describe('criticalPath', () => {
  it('follows the chain with the longest total duration, not the one with the most tasks', () => {
    const index = indexTrace(
      trace([
        fn('a', 10),
        fn('b', 10, ['a']),
        fn('c', 10, ['b']),
        fn('slow', 50),
        fn('end', 5, ['c', 'slow']),
      ]),
    );
    expect(criticalPath(index)).toEqual({ keys: ['slow', 'end'], durationMs: 55 });
  });

  it('goes through named dependencies too, and counts a task without a duration as 0 ms', () => {
    const tasks = [fn('a', 3), fn('b', undefined), { ...fn('c', 4), namedDeps: { first: 'a', second: 'b' } }];
    expect(criticalPath(indexTrace(trace(tasks)))).toEqual({ keys: ['a', 'c'], durationMs: 7 });
  });

  it('counts a GraphTask with its own duration and stays in the root graph', () => {
    const graphTask: TaskRecord = {
      id: 'sub',
      kind: 'graph',
      inputFn: 'builtin.input',
      status: 'done',
      durationMs: 30,
      graph: { tasks: [fn('inner', 25)] },
    };
    const index = indexTrace(trace([fn('a', 1), { ...graphTask, deps: ['a'] }, fn('b', 2)]));
    expect(criticalPath(index)).toEqual({ keys: ['a', 'sub'], durationMs: 31 });
  });

  it('is empty for a graph without tasks', () => {
    expect(criticalPath(indexTrace(trace([])))).toEqual({ keys: [], durationMs: 0 });
  });
});
