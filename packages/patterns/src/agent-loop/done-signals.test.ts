import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { humanResponder, llmResponder, subLoop } from './responders.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

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
});
