import { TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { llmResponder, subLoop } from './responders.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The chat messages of each request the test server received, as "role: content". */
function prompts(requests: ReadonlyArray<{ body: unknown }>): string[][] {
  return requests.map((request) =>
    (request.body as { messages: Array<{ role: string; content: string }> }).messages.map(
      (message) => `${message.role}: ${message.content}`,
    ),
  );
}

describe('restart', () => {
  it('R3-25: restart: false continues the conversation of the previous run; the default starts afresh', async () => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.setDefaultReply((request) => ({ content: `answer ${request.index + 1}` }));
    const keeps = new AgentLoop({
      name: 'r325-keep',
      responders: [llmResponder()],
      turns: 1,
      restart: false,
    });
    await keeps.run(fx.registry, 'first question');
    const second = await keeps.run(fx.registry, 'second question');
    const fresh = new AgentLoop({ name: 'r325-fresh', responders: [llmResponder()], turns: 1 });
    await fresh.run(fx.registry, 'first question');
    await fresh.run(fx.registry, 'second question');
    expect(prompts(fx.server.requests)).toEqual([
      ['user: first question'],
      ['user: first question', 'assistant: answer 1', 'user: second question'],
      ['user: first question'],
      ['user: second question'],
    ]);
    // The continued conversation is part of the run's input, so the trace alone replays it.
    expect(second.state.history.map((m) => `${m.id} ${m.content}`)).toEqual([
      'h1 first question',
      'h2 answer 1',
      'm0 second question',
      'm1 answer 2',
    ]);
    const replay = TaskGraph.fromJSON(JSON.parse(JSON.stringify(second.graph.toJSON())));
    await replay.run(keeps.register(fx.registry), { replayOnly: true });
    expect(fx.server.requests).toHaveLength(4);
  });

  it('R3-25: a run can be given the history to continue; a malformed one is refused with INVALID_ARGUMENT', async () => {
    const echo = scripted('echo', (_n, message) => `seen ${message.content}`);
    const loop = new AgentLoop({ name: 'r325-given', responders: [echo], turns: 1 });
    const earlier = await loop.run(plainRegistry(), 'one');
    const run = await loop.run(plainRegistry(), { message: 'two', history: earlier.state.history });
    expect(run.state.history.map((m) => [m.id, m.content, m.parentId])).toEqual([
      ['h1', 'one', undefined],
      ['h2', 'seen one', 'h1'],
      ['m0', 'two', undefined],
      ['m1', 'seen two', 'm0'],
    ]);
    const error = await loop
      .run(plainRegistry(), { message: 'two', history: [{ sender: 'x' }] as never })
      .catch((e: { code?: string }) => e);
    expect((error as { code?: string }).code).toBe('INVALID_ARGUMENT');
    expect(() => new AgentLoop({ name: 'r325-bad', responders: [echo], restart: 'no' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it.each([
    [false, ['user: question one', 'assistant: answer 1', 'user: question two']],
    [true, ['user: question two']],
  ])(
    'R3-25: a sub-loop called again continues its conversation unless restartAsSubtask (%s)',
    async (restartAsSubtask, second) => {
      const fx = await llmFixture();
      servers.push(fx.server);
      fx.server.setDefaultReply((request) => ({ content: `answer ${request.index + 1}` }));
      const child = new AgentLoop({
        name: `r325-child-${restartAsSubtask}`,
        responders: [llmResponder()],
        turns: 1,
      });
      const boss = scripted('boss', ['question one', 'question two']);
      const parent = new AgentLoop({
        name: `r325-parent-${restartAsSubtask}`,
        responders: [boss, subLoop(child, { restartAsSubtask })],
        turns: 4,
      });
      const run = await parent.run(fx.registry, 'start');
      expect(run.state.history.map((m) => m.content)).toEqual([
        'start',
        'question one',
        'answer 1',
        'question two',
        'answer 2',
      ]);
      const [first, again] = prompts(fx.server.requests);
      expect(first).toEqual(['user: question one']);
      expect(again).toEqual(second);
    },
  );
});
