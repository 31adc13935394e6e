import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';

describe('smoke', () => {
  it('runs, saves, loads and replays', async () => {
    const registry = new FunctionRegistry();
    let calls = 0;
    const add = registry.register('add', (_ctx, a: number, b: number) => {
      calls++;
      return a + b;
    });
    const one = registry.register('one', () => {
      calls++;
      return 1;
    });
    const prompt = registry.register('prompt', (_ctx, n: number) => `say ${n}`);
    const handler = new ScriptedHandler({ reply: (req) => `reply to ${String(req.prompt)}` });
    registry.addHandler(handler);
    const graph = new TaskGraph({ input: { x: 1 } });
    const a = graph.addFunction({ id: 'a', fn: one });
    const b = graph.addFunction({ id: 'b', fn: one });
    const c = graph.addFunction({ id: 'c', fn: add, deps: [a, b] });
    const d = graph.addLLM({ id: 'd', prompt, deps: [c], handler: 'scripted' });
    const out = await graph.setOutput(d).run(registry);
    expect(out).toBe('reply to say 2');
    expect(calls).toBe(3);
    const json = JSON.parse(JSON.stringify(graph.toJSON()));
    const again = TaskGraph.fromJSON(json);
    calls = 0;
    expect(await again.run(registry)).toBe('reply to say 2');
    expect(calls).toBe(0);
    expect(handler.calls).toBe(1);
  });
});
