import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessExecutor } from '../run/in-process-executor.js';
import { FileTraceStore } from '../store/file-trace-store.js';
import { executorConformance } from './executor-conformance.js';
import { FakeExecutor } from './fake-executor.js';
import { llmHandlerConformance } from './llm-handler-conformance.js';
import { MemoryTraceStore } from './memory-trace-store.js';
import { ScriptedHandler } from './scripted-handler.js';
import { traceStoreConformance } from './trace-store-conformance.js';

executorConformance('InProcessExecutor', () => ({ executor: new InProcessExecutor() }));

executorConformance('FakeExecutor (released as soon as held)', () => {
  const executor = new FakeExecutor();
  const originalExecute = executor.execute.bind(executor);
  executor.execute = (call, env) => {
    const outcome = originalExecute(call, env);
    executor.releaseAll();
    return outcome;
  };
  return { executor };
});

traceStoreConformance('FileTraceStore', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'taskgraph-store-')), 'trace.json');
  return { store: new FileTraceStore(path), reopen: () => new FileTraceStore(path) };
});

traceStoreConformance('MemoryTraceStore', () => {
  const store = new MemoryTraceStore();
  return {
    store,
    reopen: () => {
      store.crash();
      return store;
    },
  };
});

llmHandlerConformance('ScriptedHandler', (reply) => ({
  handler: new ScriptedHandler({
    reply: (_request, options) => {
      if (options.signal.aborted) throw options.signal.reason;
      return reply;
    },
  }),
}));
