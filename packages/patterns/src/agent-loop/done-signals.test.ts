import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { loopHistory } from './loop-history.js';
import { humanResponder, llmResponder, subLoop } from './responders.js';
import { llmFixture, plainRegistry, scripted, stepAt } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('done signals', () => {
  it('R3-7 (a) the done marker ends the loop and is stripped; it can be turned off', async () => {
    const run = await new AgentLoop({
      name: 'r37a',
      responders: [scripted('a', ['The answer is 4. DONE'])],
    }).run(plainRegistry(), 'q');
    expect([run.status, run.content]).toEqual(['DONE', 'The answer is 4.']);
    const off = new AgentLoop({
      name: 'r37a-off',
      responders: [scripted('a', ['DONE'], { answersOwnMessages: true })],
      doneMarker: false,
      turns: 2,
    });
    expect((await off.run(plainRegistry(), 'q')).status).toBe('FIXED_TURNS');
  });

  it('R3-7 (a) a done tool ends the loop and is dropped from the result; final_result is kept', async () => {
    const call = (name: string, args: string) => ({
      id: `c-${name}`,
      type: 'function' as const,
      function: { name, arguments: args },
    });
    const done = await new AgentLoop({
      name: 'r37a-tool',
      responders: [scripted('a', [{ content: null, toolCalls: [call('done', '{"content":"42"}')] }])],
    }).run(plainRegistry(), 'q');
    expect([done.status, done.content, done.result?.toolCalls]).toEqual(['DONE', '42', undefined]);
    const final = await new AgentLoop({
      name: 'r37a-final',
      responders: [scripted('a', [{ content: 'x', toolCalls: [call('final_result', '{"answer":42}')] }])],
    }).run(plainRegistry(), 'q');
    expect([final.status, final.result?.finalResult, final.result?.toolCalls?.length]).toEqual([
      'DONE',
      true,
      1,
    ]);
  });

  it('R3-7 (b) doneIfResponse ends the loop on a non-empty reply of that responder', async () => {
    const a = scripted('a', ['draft']);
    const reviewer = scripted('reviewer', ['approved']);
    const loop = new AgentLoop({ name: 'r37b', responders: [a, reviewer], doneIfResponse: ['reviewer'] });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.content, run.turns]).toEqual(['DONE', 'approved', 2]);
  });

  it('R3-7 (c) doneIfNoResponse ends the loop on an empty reply of that responder', async () => {
    const a = scripted('a', ['draft']);
    const checker = scripted('checker', [null]);
    const loop = new AgentLoop({ name: 'r37c', responders: [a, checker], doneIfNoResponse: ['checker'] });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.content, run.turns]).toEqual(['DONE', 'draft', 2]);
  });

  it('R3-7 (d) a sub-loop ends when a message is addressed to its caller by name', async () => {
    const worker = scripted('worker', [{ content: 'back to you', sendTo: 'r37d' }]);
    const child = new AgentLoop({ name: 'r37d-child', responders: [worker], turns: 5 });
    const loop = new AgentLoop({ name: 'r37d', responders: [subLoop(child)], turns: 1 });
    const run = await loop.run(plainRegistry(), 'q');
    expect(run.content).toBe('back to you');
    expect(run.result?.status).toBe('DONE');
  });

  it('R3-7 (e) a human quit string ends the loop with USER_QUIT', async () => {
    const loop = new AgentLoop({
      name: 'r37e',
      responders: [scripted('a', ['anything else?']), humanResponder({ defaultReply: 'bye' })],
      interactive: true,
    });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.status, run.content]).toEqual(['USER_QUIT', 'bye']);
  });

  it('R3-7 (f) doneIfTool ends the loop as soon as a committed message has a tool call', async () => {
    const call = { id: 'c1', type: 'function' as const, function: { name: 'search', arguments: '{}' } };
    const loop = new AgentLoop({
      name: 'r37f',
      responders: [scripted('a', [{ content: null, toolCalls: [call] }])],
      doneIfTool: true,
    });
    expect((await loop.run(plainRegistry(), 'q')).status).toBe('DONE');
  });

  it('R3-7 (g) the sequence "T[calc], A" ends the loop right after the handler answers the calc tool', async () => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.enqueue({ toolCalls: [{ name: 'calc', arguments: { a: 2, b: 3 } }] });
    const calc = scripted(
      'calc',
      (_n, message) => {
        const call = message.toolCalls?.[0];
        const { a, b } = JSON.parse(call?.function.arguments ?? '{}') as { a: number; b: number };
        return {
          content: String(a + b),
          toolResults: [{ toolCallId: call?.id ?? '', content: String(a + b) }],
        };
      },
      { tools: ['calc'] },
    );
    const loop = new AgentLoop({
      name: 'r37g',
      responders: [llmResponder(), calc],
      doneSequences: ['T[calc], A'],
    });
    const run = await loop.run(fx.registry, 'What is 2 + 3?');
    expect([run.status, run.content, run.turns]).toEqual(['DONE', '5', 2]);
    expect(fx.server.requests).toHaveLength(1);
  });

  it('R3-7: with doneIfNoResponse, the empty reply ends the loop and is kept as the result', async () => {
    const checker = scripted('checker', ['']);
    const run = await new AgentLoop({
      name: 'r37c-empty',
      responders: [scripted('a', ['draft']), checker],
      doneIfNoResponse: ['checker'],
    }).run(plainRegistry(), 'q');
    expect([run.status, run.content, run.result?.sender, run.turns]).toEqual(['DONE', '', 'checker', 2]);
    // An LLM that answers with nothing (content null, through HTTP) ends its loop the same way.
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.enqueue({ content: 'a first answer' }, { content: null });
    const llm = await new AgentLoop({
      name: 'r37c-llm',
      responders: [llmResponder(), scripted('agent', ['go on'])],
      doneIfNoResponse: ['llm'],
    }).run(fx.registry, 'q');
    expect([llm.status, llm.content, llm.result?.sender, llm.turns]).toEqual(['DONE', '', 'llm', 3]);
    expect(fx.server.requests).toHaveLength(2);
  });

  it('R3-7: a DO-NOT-KNOW from a doneIfResponse responder ends its loop, so a sub-loop returns instead of stalling', async () => {
    const expert = scripted('expert', ['DO-NOT-KNOW.']);
    const child = new AgentLoop({ name: 'r37b-nk-child', responders: [expert], doneIfResponse: ['expert'] });
    const fallback = scripted('fallback', ['from the fallback']);
    const parent = new AgentLoop({ name: 'r37b-nk', responders: [subLoop(child), fallback], turns: 1 });
    const run = await parent.run(plainRegistry(), 'q');
    const childEnds = [...run.graph.tasks()]
      .filter((task) => task.kind === 'function' && task.fn === 'agent-loop/r37b-nk-child')
      .map((task) => stepAt(run.graph, task.id).state)
      .filter((state) => state.status !== null);
    expect(childEnds.map((state) => [state.status, state.turn, state.result?.content])).toEqual([
      ['DONE', 1, 'DO-NOT-KNOW.'],
    ]);
    expect(expert.calls).toEqual(['q']);
    // The parent takes the child's DO-NOT-KNOW as no answer and fails over to the next responder.
    expect([run.status, run.content]).toEqual(['FIXED_TURNS', 'from the fallback']);
  });

  it('R3-7: DONE __PASS__ ends the loop with the message before it as the result', async () => {
    const asker = scripted('asker', ['compute 6 * 7', 'DONE __PASS__']);
    const calc = scripted('calc', ['42']);
    const run = await new AgentLoop({ name: 'r37a-pass', responders: [asker, calc] }).run(
      plainRegistry(),
      'q',
    );
    expect([run.status, run.content, run.result?.sender, run.turns]).toEqual(['DONE', '42', 'calc', 3]);
    const last = stepAt(run.graph, run.endTask);
    expect([last.record.committed?.kind, loopHistory(run.graph, run.endTask).length]).toEqual(['pass', 3]);
    // Without the done marker, text holding __PASS__ passes the message on (a stalled turn), as in langroid.
    const passOn = await new AgentLoop({
      name: 'r37a-pass-on',
      responders: [scripted('asker', ['compute 6 * 7', 'over to you __PASS__']), scripted('calc', ['42'])],
      turns: 3,
    }).run(plainRegistry(), 'q');
    expect([passOn.status, passOn.content, passOn.state.stalled]).toEqual(['FIXED_TURNS', '42', 1]);
  });

  it('R3-7: with onlyUserQuitsRoot, an interactive root loop ignores DONE from others and ends when the human quits', async () => {
    const replies = ['more', 'q'];
    const config = {
      responders: [
        scripted('a', ['first DONE', 'second DONE']),
        humanResponder({ ask: () => replies.shift() ?? null }),
      ],
      interactive: true,
    };
    const quits = await new AgentLoop({ name: 'r37e-only', onlyUserQuitsRoot: true, ...config }).run(
      plainRegistry(),
      'q',
    );
    expect([quits.status, quits.content, quits.turns]).toEqual(['USER_QUIT', 'q', 4]);
    const done = await new AgentLoop({ name: 'r37e-any', ...config }).run(plainRegistry(), 'q');
    expect([done.status, done.turns]).toEqual(['DONE', 1]);
  });
});
