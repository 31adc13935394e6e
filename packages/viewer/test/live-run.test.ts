import { describe, expect, it } from 'vitest';
import type { ReplayUpdate } from '../src/api-types.js';
import { applyUpdates, IDLE } from '../web/src/live-run.js';

const event = (e: Extract<ReplayUpdate, { type: 'event' }>['event']): ReplayUpdate => ({
  type: 'event',
  event: e,
});

describe('applyUpdates', () => {
  it('follows each task of a replay: started, done, reused, failed, created', () => {
    const live = applyUpdates(IDLE, [
      { type: 'snapshot', running: false, events: [] },
      event({ type: 'run:start', at: 0, tasks: 3 }),
      event({ type: 'task:reused', taskPath: ['a'], kind: 'function' }),
      event({ type: 'task:start', taskPath: ['b'], kind: 'llm' }),
      event({ type: 'task:added', taskPath: ['b/child'], kind: 'function', createdBy: 'b' }),
      event({ type: 'task:start', taskPath: ['g', 'inner'], kind: 'function' }),
      event({ type: 'task:done', taskPath: ['b'], kind: 'llm', durationMs: 12 }),
      event({
        type: 'task:failed',
        taskPath: ['g', 'inner'],
        kind: 'function',
        error: { name: 'Error', message: 'no' },
      }),
    ]);
    expect(live.running).toBe(true);
    expect(Object.fromEntries(live.tasks)).toEqual({
      a: { status: 'reused' },
      b: { status: 'done', durationMs: 12 },
      'g > inner': { status: 'failed' },
    });
    expect(live.added.get('b/child')).toEqual({
      key: 'b/child',
      path: ['b/child'],
      kind: 'function',
      creator: 'b',
    });
    expect(live.log.at(-1)?.text).toBe('g > inner failed: no');
  });

  it('ends with the replay, and a snapshot of a replay in progress starts over from its events', () => {
    const ended = applyUpdates(IDLE, [
      event({ type: 'run:start', at: 0, tasks: 1 }),
      { type: 'replay:end', status: 'cancelled', error: { code: 'CANCELLED', message: 'stopped' } },
    ]);
    expect(ended.running).toBe(false);
    expect(ended.ended).toEqual({ status: 'cancelled', error: { code: 'CANCELLED', message: 'stopped' } });

    const resumed = applyUpdates(ended, [
      {
        type: 'snapshot',
        running: true,
        events: [{ type: 'task:start', taskPath: ['x'], kind: 'function' }],
      },
    ]);
    expect(resumed.running).toBe(true);
    expect(resumed.ended).toBeUndefined();
    expect([...resumed.tasks.keys()]).toEqual(['x']);
  });
});
