export type { OfflineHandlerOptions } from './offline-handler.js';
export { startOfflineHandler } from './offline-handler.js';
export type {
  CompletionReply,
  Fault,
  RecordedRequest,
  ReplyFunction,
  ReplyRule,
  RequestOutcome,
  ScriptedReply,
  ScriptedToolCall,
} from './scripted-reply.js';
export type { TestServer, TestServerOptions } from './test-server.js';
export { startTestServer } from './test-server.js';
