import { describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import type { LoopNodeOutput } from './loop-state.js';
import { plainRegistry, scripted } from './testing/loop-fixture.js';

describe('step records', () => {
  it('R3-31 each step task records the responders tried, the message committed, the counters and the spend', async () => {
    const asker = scripted('asker', ['What is 6 × 7?', 'Thanks. DONE']);
    const unsure = scripted('unsure', ['DO-NOT-KNOW']);
    const silent = scripted('silent', [null]);
    const solver = scripted('solver', ['42']);
    const loop = new AgentLoop({ name: 'r331', responders: [asker, unsure, silent, solver] });
    const run = await loop.run(plainRegistry(), 'start');
    const document = JSON.parse(JSON.stringify(run.graph.toJSON()));
    const steps = document.graph.tasks
      .filter((task: { fn?: string }) => task.fn === 'agent-loop/r331')
      .map((task: { id: string; output: LoopNodeOutput }) => ({ id: task.id, ...task.output.record }));
    const turn2 = steps.find(
      (step: { turn: number; committed: unknown }) => step.turn === 2 && step.committed,
    );
    expect(turn2.tried).toEqual([
      { responder: 'asker', outcome: 'cannot-respond', reason: 'it sent the pending message' },
      { responder: 'unsure', outcome: 'no-answer' },
      { responder: 'silent', outcome: 'invalid' },
      { responder: 'solver', outcome: 'valid' },
    ]);
    expect(turn2.committed).toMatchObject({ kind: 'valid', id: 'm2', sender: 'solver' });
    expect(turn2.committed.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(turn2).toMatchObject({ stalled: 0, loopCheck: { distinct: 2, alternations: 0 }, status: null });
    expect(turn2.usage).toMatchObject({ llmCalls: 0, totalTokens: 0 });
    const last = steps.at(-1);
    expect([last.turn, last.status]).toEqual([3, 'DONE']);
    const m2 = run.state.history[2];
    expect([m2?.parentId, m2?.childId]).toEqual(['m1', 'm3']);
    expect(steps.map((step: { id: string }) => step.id)).toEqual([
      'r331',
      'r331/turn-1',
      'r331/turn-2@2',
      'r331/turn-2.2@3',
      'r331/turn-2.3@4',
      'r331/turn-3@5',
    ]);
  });
});
