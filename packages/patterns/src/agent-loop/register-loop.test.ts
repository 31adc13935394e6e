import { FunctionRegistry } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { llmResponder } from './responders.js';
import { llmFixture, plainRegistry, scripted } from './testing/loop-fixture.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('registering a loop', () => {
  it('registering the same loop twice is harmless; another loop of the same name is refused', () => {
    const registry = plainRegistry();
    const loop = new AgentLoop({ name: 'reg', responders: [scripted('a', ['x'])] });
    loop.register(registry);
    loop.register(registry);
    const other = new AgentLoop({ name: 'reg', responders: [scripted('a', ['y'])] });
    expect(() => other.register(registry)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('a loop runs in a registry that included the one it was registered in, with that registry’s handler', async () => {
    const fx = await llmFixture({ defaultReply: 'hello. DONE' });
    servers.push(fx.server);
    const loop = new AgentLoop({ name: 'reg-include', responders: [llmResponder()] });
    const shared = loop.register(new FunctionRegistry());
    const local = new FunctionRegistry().include(shared).addHandler(fx.handler);
    const run = await loop.run(local, 'hi');
    expect([run.status, run.content, fx.server.requests.length]).toEqual(['DONE', 'hello.', 1]);
  });

  it('rejects a configuration that names no responder, or a responder twice, naming the field', () => {
    const bad = [
      () => new AgentLoop({ name: 'x', responders: [] }),
      () => new AgentLoop({ name: 'x', responders: [scripted('a', []), scripted('a', [])] }),
      () => new AgentLoop({ name: 'x', responders: [scripted('a', [])], doneIfResponse: ['b'] }),
      () => new AgentLoop({ name: 'x', responders: [scripted('a', [])], turns: 0 }),
      () => new AgentLoop({ name: 'x', responders: [scripted('a', [])], doneSequences: ['T, Q'] }),
    ];
    for (const make of bad) expect(make).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
