import { describe, expect, it } from 'vitest';
import { FunctionRegistry } from '../model/registry.js';
import { traceText } from '../store/trace-file-io.js';
import type { TraceStore } from '../store/trace-store.js';
import { TaskGraph } from '../task-graph.js';
import { explicitDocument } from '../trace/trace-loader.js';
import type { TraceDocument } from '../trace/trace-schema.js';
import { ScriptedHandler } from './scripted-handler.js';

/** A store under test, and the same store as a restarted program would open it (same file, same key…). */
export interface TraceStoreFixture {
  store: TraceStore;
  reopen(): TraceStore | Promise<TraceStore>;
}

/**
 * The tests every TraceStore passes. An implementation runs them in a few lines:
 * `traceStoreConformance('MyStore', async () => { const store = new MyStore(key); return { store, reopen: () => new MyStore(key) }; })`.
 */
export function traceStoreConformance(
  name: string,
  make: () => TraceStoreFixture | Promise<TraceStoreFixture>,
): void {
  describe(`TraceStore conformance: ${name}`, () => {
    // A trace file's text, in pieces as a run commits it.
    const document = (): string[] => {
      const registry = new FunctionRegistry();
      const one = registry.register('one', () => 1);
      const graph = new TaskGraph();
      graph.addFunction({ id: 'a', fn: one });
      graph.addGraph({ id: 'nested', graph: new TaskGraph() });
      return [...traceText(graph)];
    };
    /** The document a store gives back for committed text: the file's, every field explicit. */
    const explicit = (text: string[]) => explicitDocument(JSON.parse(text.join('')));
    const ids = (loaded: unknown) => (loaded as TraceDocument).graph.tasks.map((task) => task.id);
    // A task's state as a run records it: its line in a trace file.
    const record = (id: string, output: number) => JSON.stringify({ id, fn: 'one', output });

    it('holds nothing at first', async () => {
      const { store } = await make();
      expect(await store.load()).toBeUndefined();
    });

    it('gives back what was committed, to a restarted program too', async () => {
      const { store, reopen } = await make();
      const committed = document();
      await store.commit(committed);
      await store.close();
      expect(await (await reopen()).load()).toEqual(explicit(committed));
    });

    it('keeps a durable line through a crash, with no flush or close', async () => {
      const { store, reopen } = await make();
      await store.commit(document());
      store.record(['b'], record('b', 2), true);
      const loaded = (await (await reopen()).load()) as TraceDocument;
      expect(ids(loaded)).toEqual(['a', 'nested', 'b']);
    });

    it('keeps lines once flushed, and a later line replaces an earlier one of the same task', async () => {
      const { store, reopen } = await make();
      await store.commit(document());
      store.record(['b'], record('b', 2), false);
      store.record(['b'], record('b', 3), false);
      await store.flush();
      const loaded = (await (await reopen()).load()) as TraceDocument;
      expect(loaded.graph.tasks.find((task) => task.id === 'b')?.output).toBe(3);
    });

    it('drops a task, and records a task of a nested graph inside it', async () => {
      const { store, reopen } = await make();
      await store.commit(document());
      store.drop(['a']);
      store.record(['nested', 'inner'], record('inner', 4), true);
      await store.close();
      const loaded = (await (await reopen()).load()) as TraceDocument;
      expect(ids(loaded)).toEqual(['nested']);
      const nested = loaded.graph.tasks[0] as { graph: { tasks: Array<{ id: string }> } };
      expect(nested.graph.tasks.map((task) => task.id)).toEqual(['inner']);
    });

    it('starts afresh from each commit', async () => {
      const { store, reopen } = await make();
      await store.commit(document());
      store.record(['b'], record('b', 2), true);
      const committed = document();
      await store.commit(committed);
      await store.close();
      expect(await (await reopen()).load()).toEqual(explicit(committed));
    });

    it('keeps a run and lets a second run reuse every result', async () => {
      const { store, reopen } = await make();
      const handler = new ScriptedHandler({ reply: () => 'hello' });
      const registry = new FunctionRegistry().addHandler(handler);
      const prompt = registry.register('prompt', () => 'say hello');
      const build = () => {
        const graph = new TaskGraph();
        const llm = graph.addLLM({ id: 'greet', prompt, handler: handler.id });
        graph.setOutput(llm);
        return graph;
      };
      expect(await build().run(registry, { trace: store })).toBe('hello');
      expect(await build().run(registry, { trace: await reopen() })).toBe('hello');
      expect(handler.calls).toBe(1);
    });
  });
}
