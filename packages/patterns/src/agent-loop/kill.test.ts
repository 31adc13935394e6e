import { describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import type { KillStore } from './kill-store.js';
import { killSession, MemoryKillStore, reviveSession } from './kill-store.js';
import { subLoop } from './responders.js';
import { plainRegistry, scripted, stepAt } from './testing/loop-fixture.js';

describe('kill', () => {
  it('R3-27 killSession("s") while the root waits inside a child ends both with KILL', async () => {
    const worker = scripted(
      'worker',
      (n) => {
        if (n === 1) killSession('s-327');
        return `working ${n}`;
      },
      { answersOwnMessages: true },
    );
    const child = new AgentLoop({ name: 'r327-child', responders: [worker] });
    const root = new AgentLoop({ name: 'r327', responders: [subLoop(child), scripted('other', ['x'])] });
    const run = await root.run(plainRegistry(), { message: 'start', session: 's-327' });
    reviveSession('s-327');
    expect([run.status, run.content, run.turns]).toEqual(['KILL', 'working 1', 1]);
    expect(run.result?.status).toBe('KILL');
    const childEnd = stepAt(run.graph, run.result?.via ?? '');
    expect([childEnd.state.status, childEnd.state.turn, worker.calls.length]).toEqual(['KILL', 2, 2]);
  });

  it('R3-27 a kill issued before the run is kept until revive()', async () => {
    const loop = new AgentLoop({
      name: 'r327-early',
      responders: [scripted('a', ['hi DONE'])],
      session: 'r327-early',
    });
    loop.kill();
    const killed = await loop.run(plainRegistry(), 'q');
    expect([killed.status, killed.content, killed.turns]).toEqual(['KILL', 'q', 0]);
    loop.revive();
    expect((await loop.run(plainRegistry(), 'q')).status).toBe('DONE');
  });

  it('R3-27 the kill store can be plugged in and is asked at every step task', async () => {
    const asked: string[] = [];
    const killed = new MemoryKillStore();
    const store: KillStore = {
      isKilled: async (session) => {
        asked.push(session);
        return killed.isKilled(session);
      },
      kill: (session) => killed.kill(session),
      revive: (session) => killed.revive(session),
    };
    const a = scripted(
      'a',
      (n) => {
        if (n === 2) store.kill('plugged');
        return `reply ${n}`;
      },
      { answersOwnMessages: true },
    );
    const loop = new AgentLoop({ name: 'r327-store', responders: [a], killStore: store, session: 'plugged' });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.turns]).toEqual(['KILL', 3]);
    expect(asked).toEqual(['plugged', 'plugged', 'plugged', 'plugged']);
  });

  it("R3-27 aborting the run's signal cancels it at once, the trace saved", async () => {
    const controller = new AbortController();
    const a = scripted(
      'a',
      (n) => {
        if (n === 1) controller.abort();
        return `reply ${n}`;
      },
      { answersOwnMessages: true },
    );
    const loop = new AgentLoop({ name: 'r327-signal', responders: [a] });
    const error = (await loop
      .run(plainRegistry(), 'q', { signal: controller.signal })
      .catch((e: unknown) => e)) as {
      code: string;
      trace: { graph: { tasks: unknown[] } };
    };
    expect(error.code).toBe('CANCELLED');
    expect(error.trace.graph.tasks.length).toBeGreaterThan(2);
  });
});
