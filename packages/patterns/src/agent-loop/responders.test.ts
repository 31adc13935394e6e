import { describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import type { LoopNodeOutput } from './loop-state.js';
import { humanResponder, subLoop } from './responders.js';
import { plainRegistry, scripted, stepAt, taskIds } from './testing/loop-fixture.js';

function stepOutput(run: { graph: import('@taskgraph/core').TaskGraph }, id: string): LoopNodeOutput {
  return stepAt(run.graph, id);
}

describe('responders', () => {
  it('R3-1 a step commits the first valid reply and tries no responder after it', async () => {
    const a = scripted('a', [null]);
    const b = scripted('b', ['x']);
    const c = scripted('c', ['y']);
    const loop = new AgentLoop({ name: 'r31', responders: [a, b, c], turns: 1 });
    const run = await loop.run(plainRegistry(), 'question');
    expect(run.content).toBe('x');
    expect([a.calls.length, b.calls.length, c.calls.length]).toEqual([1, 1, 0]);
    expect(run.endTask).toBe('r31/turn-1.2@2');
    expect(stepOutput(run, run.endTask).record.tried).toEqual([
      { responder: 'a', outcome: 'invalid' },
      { responder: 'b', outcome: 'valid' },
    ]);
  });

  it('R3-2 a DO-NOT-KNOW is invalid but committed when no responder gives a valid reply', async () => {
    const a = scripted('a', ['DO-NOT-KNOW.']);
    const b = scripted('b', [null]);
    const loop = new AgentLoop({ name: 'r32', responders: [a, b], turns: 1 });
    const run = await loop.run(plainRegistry(), 'question');
    expect(run.content).toBe('DO-NOT-KNOW.');
    expect(run.result?.sender).toBe('a');
    expect(stepOutput(run, run.endTask).record.committed?.kind).toBe('no-answer');
  });

  it('R3-2 empty content and the bare pass marker are invalid; a tool call without text is valid', async () => {
    const empty = scripted('empty', ['  ']);
    const pass = scripted('pass', ['__PASS__']);
    const tool = scripted('tool', [
      {
        content: null,
        toolCalls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }],
      },
    ]);
    const loop = new AgentLoop({ name: 'r32b', responders: [empty, pass, tool], turns: 1 });
    const run = await loop.run(plainRegistry(), 'question');
    expect(run.result?.sender).toBe('tool');
    expect(run.state.stalled).toBe(0);
  });

  it('R3-2 a loop can change the validity rules', async () => {
    const a = scripted('a', ['meh']);
    const b = scripted('b', ['a real answer']);
    const loop = new AgentLoop({
      name: 'r32c',
      responders: [a, b],
      turns: 1,
      classify: (message, standard) => (message.content === 'meh' ? 'invalid' : standard),
    });
    expect((await loop.run(plainRegistry(), 'q')).content).toBe('a real answer');
  });

  it('R3-3 a responder does not answer its own message, nor one addressed or blocked away', async () => {
    const a = scripted('a', [
      'first',
      { content: 'to c', sendTo: 'c' },
      { content: 'not for b', block: 'b' },
    ]);
    const b = scripted('b', ['from b']);
    const c = scripted('c', ['from c']);
    const loop = new AgentLoop({ name: 'r33', responders: [a, b, c], turns: 4 });
    const run = await loop.run(plainRegistry(), 'start');
    // Turn 2: a sent "first", so b answers; turn 4: the message is addressed to c, so b is skipped.
    expect(run.state.history.map((m) => `${m.sender}:${m.content}`)).toEqual([
      'input:start',
      'a:first',
      'b:from b',
      'a:to c',
      'c:from c',
    ]);
    const turn4 = stepAt(run.graph, run.endTask);
    expect(turn4.record.tried.filter((t) => t.outcome === 'cannot-respond').map((t) => t.responder)).toEqual([
      'a',
      'b',
    ]);
  });

  it('R3-3 a message blocked for a responder skips it', async () => {
    const a = scripted('a', [{ content: 'not for b', block: 'b' }]);
    const b = scripted('b', ['from b']);
    const c = scripted('c', ['from c']);
    const loop = new AgentLoop({ name: 'r33b', responders: [a, b, c], turns: 2 });
    const run = await loop.run(plainRegistry(), 'start');
    expect(run.content).toBe('from c');
    expect(b.calls).toEqual([]);
  });

  it('R3-3 a sub-loop that accepts only tools is never called on a plain-text message', async () => {
    const worker = scripted('worker', ['tool result']);
    const tools = new AgentLoop({ name: 'r33-tools', responders: [worker] });
    const a = scripted('a', ['plain text']);
    const b = scripted('b', ['from b']);
    const loop = new AgentLoop({
      name: 'r33c',
      responders: [a, subLoop(tools, { toolsOnly: true }), b],
      turns: 2,
    });
    const run = await loop.run(plainRegistry(), 'start');
    expect(run.content).toBe('from b');
    expect(worker.calls).toEqual([]);
    expect(taskIds(run.graph).some((id) => id.includes('r33-tools'))).toBe(false);
    const end = stepAt(run.graph, run.endTask);
    expect(end.record.tried).toContainEqual({
      responder: 'r33-tools',
      outcome: 'cannot-respond',
      reason: 'its canRespond refused the message',
    });
  });

  it('R3-4 an interactive loop asks the human first after each non-human reply', async () => {
    const llm = scripted('assistant', (n) => `answer ${n}`);
    const human = humanResponder({ defaultReply: 'go on' });
    const loop = new AgentLoop({ name: 'r34', responders: [llm, human], interactive: true, turns: 4 });
    const run = await loop.run(plainRegistry(), 'hello');
    expect(run.state.history.map((m) => m.sender)).toEqual([
      'input',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    const turn2 = run.graph.task('r34/turn-2.user@2') ? 'asked' : 'not asked';
    expect(turn2).toBe('asked');
  });

  it('R3-4 a loop that is not interactive asks the human only when a message is addressed to them', async () => {
    const asked: string[] = [];
    const human = humanResponder({
      ask: (message) => {
        asked.push(message.content ?? '');
        return 'yes';
      },
    });
    const bot = scripted('bot', ['thinking', { content: 'shall I?', sendTo: 'user' }, 'done thinking']);
    const other = scripted('other', ['hm']);
    const loop = new AgentLoop({ name: 'r34b', responders: [bot, human, other], turns: 4 });
    const run = await loop.run(plainRegistry(), 'hello');
    expect(asked).toEqual(['shall I?']);
    expect(run.state.history.map((m) => m.sender)).toEqual(['input', 'bot', 'other', 'bot', 'user']);
  });

  it('R3-32 the responders of a step are tried one after the other, each awaited', async () => {
    const log: string[] = [];
    const slow = scripted('slow', async () => {
      log.push('slow:start');
      await new Promise((resolve) => setImmediate(resolve));
      log.push('slow:end');
      return null;
    });
    const next = scripted('next', () => {
      log.push('next:start');
      return 'ok';
    });
    const loop = new AgentLoop({ name: 'r332', responders: [slow, next], turns: 1 });
    await loop.run(plainRegistry(), 'go');
    expect(log).toEqual(['slow:start', 'slow:end', 'next:start']);
  });
});
