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
