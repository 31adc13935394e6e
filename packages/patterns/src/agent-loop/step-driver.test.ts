import type { TaskGraph } from '@taskgraph/core';
import { TaskGraph as Graph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { findLoopEnd } from './loop-result.js';
import type { LoopNodeOutput } from './loop-state.js';
import { llmResponder } from './responders.js';
import { llmFixture, plainRegistry, scripted, taskIds } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A registry whose LLM answers "reply to: <last user text>", so that two runs get the same replies. */
async function echoRegistry() {
  const fx = await llmFixture({ respond: (request) => `reply to: ${request.lastUserText}` });
  servers.push(fx.server);
  return fx;
}

function chat(name: string) {
  return new AgentLoop({
    name,
    responders: [llmResponder(), scripted('agent', (_n, message) => `fact on ${message.content?.length}`)],
  });
}

/** Every stored value of the graph, with the step outputs' end-of-run fields left out. */
function played(graph: TaskGraph) {
  return [...graph.tasks()].map((task) => {
    const stages = Object.fromEntries(
      Object.entries(task.stages()).map(([stage, slot]) => [stage, slot.value]),
    );
    const output = stages.output as LoopNodeOutput | undefined;
    if (output?.state) {
      const { status: _s, result: _r, paused: _p, limits, ...state } = output.state;
      const { status: _rs, ...record } = output.record;
      stages.output = { state: { ...state, limits: { ...limits, turns: null } }, record };
    }
    return { id: task.id, stages };
  });
}

describe('step driving', () => {
  it('R3-29 N calls of step() play the same turns as run({ turns: N })', async () => {
    const fx = await echoRegistry();
    const driven = chat('r329');
    const driver = driven.driver(fx.registry);
    const start = await driver.init('Tell me about owls.');
    expect([start.state.turn, start.state.paused]).toEqual([0, true]);
    for (let i = 1; i <= 3; i++) expect((await driver.step()).state.turn).toBe(i);
    const requests = fx.server.requests.length;
    const ran = await driven.run(fx.registry, { message: 'Tell me about owls.', turns: 3 });
    expect(ran.status).toBe('FIXED_TURNS');
    expect(taskIds(driver.graph)).toEqual(taskIds(ran.graph));
    expect(played(driver.graph)).toEqual(played(ran.graph));
    expect(fx.server.requests.length).toBe(requests * 2);
  });

  it('R3-29 init() without a message resumes the conversation of a saved trace', async () => {
    const fx = await echoRegistry();
    const loop = chat('r329-resume');
    const first = loop.driver(fx.registry);
    await first.init('Tell me about owls.');
    await first.step();
    await first.step();
    const saved = JSON.parse(JSON.stringify(first.graph.toJSON()));
    const second = loop.driver(fx.registry, { trace: saved });
    expect((await second.init()).state.turn).toBe(2);
    const third = await second.step();
    expect([third.state.turn, third.state.pending.content]).toEqual([3, 'reply to: fact on 29']);
    expect(driverEnd(second.graph)).toBe('r329-resume/turn-3@3');
  });

  it('R3-30 clone(i) gives independent copies named <name>-<i> that fan out in one graph', async () => {
    const base = new AgentLoop({
      name: 'r330',
      responders: [scripted('a', (_n, m) => `echo ${m.content}`)],
      turns: 1,
    });
    const registry = plainRegistry();
    const graph = new Graph();
    const inputs = ['one', 'two'].map((text) => registry.register(`r330-input-${text}`, () => text));
    const copies = [base.clone(1), base.clone(2)];
    copies.forEach((copy, i) => {
      copy.register(registry);
      const input = graph.addFunction({ id: `input-${i}`, fn: inputs[i] as (typeof inputs)[number] });
      copy.addTo(graph, { deps: [input] });
    });
    await graph.run(registry);
    expect(copies.map((copy) => copy.name)).toEqual(['r330-1', 'r330-2']);
    expect(
      copies.map((copy) => findLoopEnd(graph, copy.name, copy.name)?.output.state.result?.content),
    ).toEqual(['echo one', 'echo two']);
  });
});

function driverEnd(graph: TaskGraph): string | undefined {
  return findLoopEnd(graph, 'r329-resume', 'r329-resume')?.taskId;
}
