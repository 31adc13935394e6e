import type { RunEvent } from '@taskgraph/core';
import { planReplay, TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { findLoopEnd } from './loop-result.js';
import { llmResponder } from './responders.js';
import { llmFixture, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The traveller's LLM asks questions; the agent answers them. Replies depend only on the last message. */
const LLM: Record<string, string> = {
  'Plan a trip to Oslo.': 'Which month?',
  June: 'Which budget?',
  Low: 'Take the night train in June. DONE',
  'A cheap one': 'Stay at the harbour hostel. DONE',
};
const AGENT: Record<string, string> = {
  'Which month?': 'June',
  'Which budget?': 'Low',
  'Which hotel?': 'A cheap one',
};

const TURN_3 = 'trip/turn-3.llm@3';

describe('editing a saved conversation', () => {
  it('an edited LLM response of turn 3 replays turns 4 and 5 only: 1 LLM call, 6 tasks run, 5 reused', async () => {
    const fx = await llmFixture({ respond: (request) => LLM[request.lastUserText] ?? 'DO-NOT-KNOW' });
    servers.push(fx.server);
    const agent = scripted('agent', (_n, message) => AGENT[message.content ?? ''] ?? 'no idea');
    const loop = new AgentLoop({ name: 'trip', responders: [llmResponder(), agent] });
    const first = await loop.run(fx.registry, 'Plan a trip to Oslo.');
    expect([first.status, first.content, first.turns, fx.server.requests.length]).toEqual([
      'DONE',
      'Take the night train in June.',
      5,
      3,
    ]);

    // Edit the saved JSON as a user would: turn 3's reply text becomes another question.
    const saved = JSON.parse(JSON.stringify(first.graph.toJSON()));
    const record = saved.graph.tasks.find((task: { id: string }) => task.id === TURN_3);
    expect(record.response.content).toBe('Which budget?');
    record.response.content = 'Which hotel?';

    const graph = TaskGraph.fromJSON(saved);
    const plan = planReplay(graph, fx.registry);
    // Before running: turns 1-2 reused, turn 3's parser and step re-run, turns 4-5 re-created by turn 3.
    expect([plan.counts, plan.recreatedLLMTasks]).toEqual([{ reuse: 5, rerun: 2, recreate: 4 }, 1]);
    const events: RunEvent[] = [];
    const requestsBefore = fx.server.requests.length;
    await graph.run(fx.registry, { onEvent: (event) => events.push(event) });
    const ids = (type: RunEvent['type']) =>
      events.flatMap((event) =>
        event.type === type && 'taskPath' in event ? [event.taskPath.join(' > ')] : [],
      );

    expect(ids('task:reused')).toEqual([
      'trip',
      'trip/turn-1.llm',
      'trip/turn-1',
      'trip/turn-2.agent@2',
      'trip/turn-2@2',
    ]);
    expect(ids('task:start')).toEqual([
      TURN_3, // its parser only: the edited response is kept, no call
      'trip/turn-3@3',
      'trip/turn-4.agent@4',
      'trip/turn-4@4',
      'trip/turn-5.llm@5',
      'trip/turn-5@5',
    ]);
    expect(fx.server.requests.length - requestsBefore).toBe(1);
    expect(fx.server.requests.at(-1)?.lastUserText).toBe('A cheap one');
    expect(agent.calls.slice(-1)).toEqual(['Which hotel?']);
    const end = findLoopEnd(graph, 'trip', 'trip');
    expect([
      end?.output.state.status,
      end?.output.state.result?.content,
      end?.output.state.usage.llmCalls,
    ]).toEqual(['DONE', 'Stay at the harbour hostel.', 3]);
  });
});
