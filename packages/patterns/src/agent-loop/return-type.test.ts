import { TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentLoop } from './agent-loop.js';
import { reaskTask } from './loop-result.js';
import { llmResponder } from './responders.js';
import { extractTyped } from './return-type.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const reply = (content: string) =>
  new AgentLoop({
    name: `rt-${Math.random().toString(36).slice(2)}`,
    responders: [scripted('a', [content])],
    turns: 1,
  });

describe('typed results', () => {
  it('R3-28 returnType number on "42" gives 42, on "forty-two" null', async () => {
    expect((await reply('42').run(plainRegistry(), 'q', { returnType: z.number() })).value).toBe(42);
    expect((await reply('forty-two').run(plainRegistry(), 'q', { returnType: z.number() })).value).toBeNull();
  });

  it('R3-28 strict mode throws ReturnTypeError instead of returning null', async () => {
    const error = (await reply('forty-two')
      .run(plainRegistry(), 'q', { returnType: z.number(), strict: true })
      .catch((e: unknown) => e)) as { code: string; name: string };
    expect([error.name, error.code]).toEqual(['ReturnTypeError', 'OUTPUT_INVALID']);
  });

  it("R3-28 extraction follows langroid's order: content, JSON, a tool, the tool list, primitives, a tool's field", () => {
    const message = (content: string | null, args: string[] = []) => ({
      id: 'm1',
      sender: 'a',
      entity: 'llm' as const,
      content,
      toolCalls: args.map((a, i) => ({
        id: `c${i}`,
        type: 'function' as const,
        function: { name: 'f', arguments: a },
      })),
    });
    expect(extractTyped(message('hello'), z.string())).toBe('hello');
    expect(extractTyped(message('{"x":1}'), z.object({ x: z.number() }))).toEqual({ x: 1 });
    expect(extractTyped(message(null, ['{"x":1}', '{"x":2}']), z.object({ x: z.number() }))).toEqual({
      x: 1,
    });
    expect(extractTyped(message(null, ['{"x":1}', '{"x":2}']), z.array(z.object({ x: z.number() })))).toEqual(
      [{ x: 1 }, { x: 2 }],
    );
    expect(extractTyped(message('true'), z.boolean())).toBe(true);
    expect(extractTyped(message(null, ['{"city":"Oslo","n":3}']), z.number())).toBe(3);
    expect(extractTyped(null, z.number())).toBeNull();
  });

  it('R3-28 a loop with reask makes one more LLM call when extraction fails, memoized in the trace', async () => {
    const fx = await llmFixture();
    servers.push(fx.server);
    fx.server.enqueue('It is forty-two. DONE', '42');
    const loop = new AgentLoop({
      name: 'r328-reask',
      responders: [llmResponder()],
      returnType: z.number(),
      reask: true,
    });
    const run = await loop.run(fx.registry, 'How many?');
    expect([run.content, run.value, fx.server.requests.length]).toEqual(['It is forty-two.', 42, 2]);
    expect(reaskTask(run.graph, run.endTask)?.kind).toBe('llm');
    const replayed = TaskGraph.fromJSON(JSON.parse(JSON.stringify(run.graph.toJSON())));
    await replayed.run(fx.registry, { replayOnly: true });
    expect(reaskTask(replayed, run.endTask)?.output?.value).toBe(42);
  });

  it('R3-28 a loop-level returnType is extracted in the graph, into the final state', async () => {
    const loop = new AgentLoop({
      name: 'r328-state',
      responders: [scripted('a', ['{"n": 7}'])],
      turns: 1,
      returnType: z.object({ n: z.number() }),
    });
    const run = await loop.run(plainRegistry(), 'q');
    expect([run.value, run.state.value]).toEqual([{ n: 7 }, { n: 7 }]);
  });
});
