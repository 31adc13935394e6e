export {
  conformanceRegistry,
  type ExecutorFixture,
  executorConformance,
} from './testing/executor-conformance.js';
export { FakeExecutor, type HeldCall } from './testing/fake-executor.js';
export { type LLMHandlerFixture, llmHandlerConformance } from './testing/llm-handler-conformance.js';
export { MemoryResponseCache } from './testing/memory-response-cache.js';
export { MemoryTraceStore } from './testing/memory-trace-store.js';
export { responseCacheConformance } from './testing/response-cache-conformance.js';
export {
  ScriptedHandler,
  type ScriptedHandlerOptions,
  type ScriptedReply,
} from './testing/scripted-handler.js';
export { type TraceStoreFixture, traceStoreConformance } from './testing/trace-store-conformance.js';
