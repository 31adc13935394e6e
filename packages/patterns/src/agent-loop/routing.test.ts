import { describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { llmResponder } from './responders.js';
import { llmFixture, plainRegistry, scripted, stepAt } from './testing/loop-fixture.js';

describe('routing', () => {
  it('R3-26 a message sent to a name no responder has gets "Invalid recipient: <name>" as the next pending message', async () => {
    const a = scripted('a', ['__SEND__:nobody are you there?', 'sorry']);
    const b = scripted('b', ['unused']);
    const loop = new AgentLoop({ name: 'r326', responders: [a, b], turns: 2 });
    const run = await loop.run(plainRegistry(), 'q');
    expect(run.state.history.map((m) => [m.sender, m.content, m.recipient])).toEqual([
      ['input', 'q', undefined],
      ['a', 'are you there?', 'nobody'],
      ['r326', 'Invalid recipient: nobody', undefined],
    ]);
    expect(b.calls).toEqual([]);
    const turn2 = stepAt(run.graph, run.endTask);
    expect([turn2.record.turn, turn2.record.committed?.kind, turn2.state.stalled]).toEqual([2, 'valid', 0]);
  });

  it('R3-26 __SEND__:name text addresses the text; sendTo does the same as a field', async () => {
    const a = scripted('a', ['__SEND__:c for c only', { content: 'also for c', sendTo: 'c' }]);
    const b = scripted('b', ['from b']);
    const c = scripted('c', ['from c']);
    const run = await new AgentLoop({ name: 'r326-send', responders: [a, b, c], turns: 4 }).run(
      plainRegistry(),
      'q',
    );
    expect(run.state.history.map((m) => `${m.sender}:${m.content}`)).toEqual([
      'input:q',
      'a:for c only',
      'c:from c',
      'a:also for c',
      'c:from c',
    ]);
    expect(b.calls).toEqual([]);
  });

  it('R3-26 __PASS__:name passes the pending message on to name, as a stalled step', async () => {
    const router = scripted('router', ['__PASS__:solver']);
    const other = scripted('other', ['not me']);
    const solver = scripted('solver', ['solved']);
    const loop = new AgentLoop({ name: 'r326-pass', responders: [router, other, solver], turns: 2 });
    const run = await loop.run(plainRegistry(), 'a problem');
    expect(solver.calls).toEqual(['a problem']);
    expect(other.calls).toEqual([]);
    expect(run.content).toBe('solved');
    const turn1 = stepAt(run.graph, 'r326-pass/turn-1');
    expect([turn1.record.committed?.kind, turn1.state.stalled, turn1.state.pending.recipient]).toEqual([
      'pass',
      1,
      'solver',
    ]);
  });

  it('R3-26 string signals are plain text when recognizeStringSignals is off', async () => {
    const a = scripted('a', ['__SEND__:nobody hello']);
    const run = await new AgentLoop({
      name: 'r326-off',
      responders: [a],
      recognizeStringSignals: false,
      turns: 1,
    }).run(plainRegistry(), 'q');
    expect([run.content, run.result?.recipient]).toEqual(['__SEND__:nobody hello', undefined]);
  });

  it("R3-26: an LLM reply that starts with TO[name]: is addressed to name (langroid's recipient in content)", async () => {
    const fx = await llmFixture();
    try {
      fx.server.setDefaultReply({ content: 'TO[critic]: please check that 2 + 2 = 4' });
      const writer = scripted('writer', ['from the writer']);
      const critic = scripted('critic', ['checked']);
      const run = await new AgentLoop({
        name: 'r326-to',
        responders: [llmResponder(), writer, critic],
        turns: 2,
      }).run(fx.registry, 'q');
      expect(run.state.history.map((m) => [m.sender, m.content, m.recipient])).toEqual([
        ['input', 'q', undefined],
        ['llm', 'please check that 2 + 2 = 4', 'critic'],
        ['critic', 'checked', undefined],
      ]);
      expect([writer.calls, critic.calls]).toEqual([[], ['please check that 2 + 2 = 4']]);
      // A name no responder has gets "Invalid recipient"; recognizeRecipientInContent: false keeps the text.
      fx.server.setDefaultReply({ content: 'TO[nobody]: hello' });
      const unknown = await new AgentLoop({
        name: 'r326-to-unknown',
        responders: [llmResponder()],
        turns: 2,
      }).run(fx.registry, 'q');
      expect(unknown.content).toBe('Invalid recipient: nobody');
      const off = await new AgentLoop({
        name: 'r326-to-off',
        responders: [llmResponder({ recognizeRecipientInContent: false })],
        turns: 1,
      }).run(fx.registry, 'q');
      expect([off.content, off.result?.recipient]).toEqual(['TO[nobody]: hello', undefined]);
    } finally {
      await fx.server.close();
    }
  });

  it('R3-26: with addressingPrefix "|@|", the last |@|name addresses the text after it; alone it passes on', async () => {
    const a = scripted('a', ['thanks |@|b, but |@|c: is the mirror here?', '|@|b,']);
    const b = scripted('b', ['from b']);
    const c = scripted('c', ['yes']);
    const run = await new AgentLoop({
      name: 'r326-prefix',
      responders: [a, b, c],
      addressingPrefix: '|@|',
      turns: 4,
    }).run(plainRegistry(), 'q');
    expect(run.state.history.map((m) => [m.sender, m.content, m.recipient])).toEqual([
      ['input', 'q', undefined],
      ['a', 'is the mirror here?', 'c'],
      ['c', 'yes', undefined],
      ['b', 'from b', undefined],
    ]);
    expect(() => new AgentLoop({ name: 'r326-prefix-bad', responders: [a], addressingPrefix: '@x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
