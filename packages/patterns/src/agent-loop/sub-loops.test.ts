import type { TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MULTIPLE_TOOLS_REFUSED } from './advance.js';
import { AgentLoop } from './agent-loop.js';
import { loopHistory } from './loop-history.js';
import type { LoopNodeOutput } from './loop-state.js';
import { llmResponder, subLoop } from './responders.js';
import { llmFixture, plainRegistry, scripted, stepAt, taskIds } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Final states of every run of `loop` in the graph (one per sub-run), in order. */
function endsOf(graph: TaskGraph, loop: string): Array<LoopNodeOutput & { id: string }> {
  return [...graph.tasks()]
    .filter((task) => task.kind === 'function' && task.fn === `agent-loop/${loop}`)
    .map((task) => ({ ...(task.output?.value as LoopNodeOutput), id: task.id }))
    .filter((output) => output.state.status !== null);
}

const call = (id: string) => ({
  id,
  type: 'function' as const,
  function: { name: 'lookup', arguments: `{"id":"${id}"}` },
});

describe('sub-loops', () => {
  it('R3-20 sub-loops are tried in order as fail-over: [sub1 stalls, sub2 answers] gives sub2 its turn', async () => {
    const sub1 = new AgentLoop({
      name: 'r320-archive',
      responders: [scripted('lookup', [null])],
      maxStalledSteps: 2,
    });
    const sub2 = new AgentLoop({ name: 'r320-expert', responders: [scripted('expert', ['It is 42. DONE'])] });
    const loop = new AgentLoop({ name: 'r320', responders: [subLoop(sub1), subLoop(sub2)], turns: 1 });
    const run = await loop.run(plainRegistry(), 'What is the answer?');
    expect([run.content, run.result?.sender, run.result?.status]).toEqual([
      'It is 42.',
      'r320-expert',
      'DONE',
    ]);
    expect(endsOf(run.graph, 'r320-archive').map((end) => end.state.status)).toEqual(['STALLED']);
    expect(endsOf(run.graph, 'r320-expert').map((end) => end.state.status)).toEqual(['DONE']);
    const tried = stepAt(run.graph, run.endTask).record.tried;
    expect(tried.map((t) => `${t.responder}:${t.outcome}`)).toEqual([
      'r320-archive:invalid',
      'r320-expert:valid',
    ]);
  });

  it('R3-21 options given with a sub-loop apply only when it runs under that parent', async () => {
    const child = new AgentLoop({
      name: 'r321-child',
      responders: [scripted('talker', (n) => `line ${n}`, { answersOwnMessages: true })],
      turns: 5,
    });
    const short = new AgentLoop({ name: 'r321-short', responders: [subLoop(child, { turns: 2 })], turns: 1 });
    const plain = new AgentLoop({ name: 'r321-plain', responders: [subLoop(child)], turns: 1 });
    const registry = plainRegistry();
    const [a, b] = [await short.run(registry, 'go'), await plain.run(registry, 'go')];
    expect(endsOf(a.graph, 'r321-child').map((end) => [end.state.status, end.state.turn])).toEqual([
      ['FIXED_TURNS', 2],
    ]);
    expect(endsOf(b.graph, 'r321-child').map((end) => [end.state.status, end.state.turn])).toEqual([
      ['FIXED_TURNS', 5],
    ]);
  });

  it('R3-22 a sub-loop gets the caller link, the session, the remaining budget and a turn limit', async () => {
    const child = new AgentLoop({
      name: 'r322-child',
      responders: [scripted('w', ['x'], { answersOwnMessages: true })],
    });
    const loop = new AgentLoop({
      name: 'r322',
      responders: [subLoop(child, { turns: 3 })],
      budget: { maxCostUsd: 2 },
    });
    const run = await loop.run(plainRegistry(), { message: 'go', session: 'sess-322', turns: 1 });
    const start = stepAt(run.graph, 'r322/turn-1.r322-child');
    expect(start.state.caller).toEqual({
      loop: 'r322',
      node: 'r322',
      responder: 'r322-child',
      turn: 1,
      nextNode: 'turn-1',
    });
    expect(start.state.session).toBe('sess-322');
    expect(start.state.limits).toMatchObject({ turns: 3, maxCostUsd: 2 });
  });

  it('R3-23 the result comes back as a user message from the sub-loop, done tools stripped', async () => {
    const done = {
      id: 'c1',
      type: 'function' as const,
      function: { name: 'done', arguments: '{"content":"found"}' },
    };
    const child = new AgentLoop({
      name: 'r323-child',
      responders: [scripted('w', [{ content: null, toolCalls: [done] }])],
    });
    const loop = new AgentLoop({ name: 'r323', responders: [subLoop(child, { name: 'helper' })], turns: 1 });
    const run = await loop.run(plainRegistry(), 'go');
    const childEnd = endsOf(run.graph, 'r323-child')[0];
    expect(run.result).toMatchObject({
      sender: 'helper',
      entity: 'user',
      senderName: 'r323-child',
      content: 'found',
      status: 'DONE',
    });
    expect(run.result?.toolCalls).toBeUndefined();
    expect(run.result?.via).toBe('r323/turn-1@2');
    expect(childEnd?.state.caller?.responder).toBe('helper');
    expect(taskIds(run.graph)).toEqual([
      'r323',
      'r323/turn-1.helper',
      'r323/turn-1.w@2',
      'r323/turn-1@2',
      'r323/turn-1@3',
    ]);
  });

  it('R3-23 a final_result tool is kept and ends every loop above', async () => {
    const final = {
      id: 'c1',
      type: 'function' as const,
      function: { name: 'final_result', arguments: '{"answer":7}' },
    };
    const child = new AgentLoop({
      name: 'r323f-child',
      responders: [scripted('w', [{ content: '7', toolCalls: [final] }])],
    });
    const loop = new AgentLoop({ name: 'r323f', responders: [subLoop(child), scripted('other', ['more'])] });
    const run = await loop.run(plainRegistry(), 'go');
    expect([
      run.status,
      run.turns,
      run.result?.finalResult,
      run.result?.toolCalls?.[0]?.function.name,
    ]).toEqual(['DONE', 1, true, 'final_result']);
  });

  it('R3-24 a sub-loop refusing several tool calls answers each with an error and does not run', async () => {
    const worker = scripted('worker', ['handled']);
    const child = new AgentLoop({ name: 'r324-child', responders: [worker] });
    const caller = scripted('caller', [{ content: null, toolCalls: [call('a'), call('b')] }]);
    const loop = new AgentLoop({
      name: 'r324',
      responders: [caller, subLoop(child, { allowMultipleToolCalls: false })],
      turns: 2,
    });
    const run = await loop.run(plainRegistry(), 'go');
    expect(run.result?.toolResults).toEqual([
      { toolCallId: 'a', content: `ERROR: ${MULTIPLE_TOOLS_REFUSED}` },
      { toolCallId: 'b', content: `ERROR: ${MULTIPLE_TOOLS_REFUSED}` },
    ]);
    expect(worker.calls).toEqual([]);
  });

  it("R3-25 the parent's next prompt leaves out the sub-loop's steps, which the trace keeps; each sub-run starts afresh", async () => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.enqueue('Please research this.', 'Summing up. DONE');
    const child = new AgentLoop({
      name: 'r325-child',
      responders: [
        scripted('reader', ['read page 1', 'read page 2']),
        scripted('writer', ['notes so far', 'summary DONE']),
      ],
    });
    const loop = new AgentLoop({ name: 'r325', responders: [llmResponder(), subLoop(child)] });
    const run = await loop.run(fx.registry, 'Research cats.');
    const second = fx.server.requests[1]?.body as { messages: Array<{ content: string }> } | undefined;
    const secondPrompt = second?.messages ?? [];
    expect(secondPrompt.map((m) => m.content)).toEqual([
      'Research cats.',
      'Please research this.',
      'summary',
    ]);
    const childEnd = endsOf(run.graph, 'r325-child')[0];
    expect(loopHistory(run.graph, childEnd?.id ?? '').map((m) => m.content)).toEqual([
      'Please research this.',
      'read page 1',
      'notes so far',
      'read page 2',
      'summary DONE',
    ]);
    expect(run.status).toBe('DONE');
  });
});
