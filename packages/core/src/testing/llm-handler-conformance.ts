import { describe, expect, it } from 'vitest';
import type { LLMHandler } from '../model/llm-handler.js';
import { FunctionRegistry } from '../model/registry.js';
import { TaskGraph } from '../task-graph.js';

/** A handler under test, set up so that every request gets `reply` as its answer. */
export interface LLMHandlerFixture {
  handler: LLMHandler;
  close?(): Promise<void>;
}

/**
 * The tests every LLMHandler passes. `make(reply)` returns a handler whose every answer is `reply` (a
 * handler for a real provider runs them against a local stand-in of its server). An implementation runs
 * them in a few lines: `llmHandlerConformance('MyHandler', async (reply) => ({ handler: … }))`.
 */
export function llmHandlerConformance(
  name: string,
  make: (reply: string) => LLMHandlerFixture | Promise<LLMHandlerFixture>,
): void {
  describe(`LLMHandler conformance: ${name}`, () => {
    const withHandler = async (reply: string, test: (handler: LLMHandler) => Promise<void>) => {
      const fixture = await make(reply);
      try {
        await test(fixture.handler);
      } finally {
        await fixture.close?.();
      }
    };
    const options = () => ({ signal: new AbortController().signal, taskPath: ['task'] });

    it('has a stable string id', async () => {
      await withHandler('x', async (handler) => {
        expect(typeof handler.id).toBe('string');
        expect(handler.id.length).toBeGreaterThan(0);
      });
    });

    it('answers a string prompt and a message list with an assistant message', async () => {
      await withHandler('the answer', async (handler) => {
        for (const prompt of ['a question', [{ role: 'user' as const, content: 'a question' }]]) {
          const result = await handler.call({ prompt, params: {} }, options());
          expect(result.message).toMatchObject({ role: 'assistant', content: 'the answer' });
          if (result.usage) {
            for (const count of Object.values(result.usage))
              expect(Number.isInteger(count) && count >= 0).toBe(true);
          }
        }
      });
    });

    it('rejects when its signal is aborted, instead of answering', async () => {
      await withHandler('late', async (handler) => {
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        await expect(
          handler.call({ prompt: 'q', params: {} }, { signal: controller.signal, taskPath: ['t'] }),
        ).rejects.toBeDefined();
      });
    });

    it('runs in a graph: the trace keeps its response and a replay makes no call', async () => {
      await withHandler('from the model', async (handler) => {
        const registry = new FunctionRegistry().addHandler(handler);
        const prompt = registry.register('prompt', () => 'say something');
        const graph = new TaskGraph();
        graph.setOutput(graph.addLLM({ id: 'llm', prompt, handler: handler.id }));
        expect(await graph.run(registry)).toBe('from the model');
        const replay = TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
        let calls = 0;
        await replay.run(registry, { onEvent: (e) => e.type === 'llm:start' && calls++ });
        expect(calls).toBe(0);
      });
    });
  });
}
