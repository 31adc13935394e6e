export type { AdvanceInput, LoopAction } from './advance.js';
export { advanceLoop, MULTIPLE_TOOLS_REFUSED } from './advance.js';
export type { LoopRunOptions } from './agent-loop.js';
export { AgentLoop } from './agent-loop.js';
export type { ConversationLog } from './conversation-log.js';
export type { DoneSequence, DoneToken, StepSummary } from './done-sequence.js';
export { matchesDoneSequence, parseDoneSequence } from './done-sequence.js';
export { InfiniteLoopError, ReturnTypeError, UnknownConversationError } from './errors.js';
export { meteredHandlerId, stepFunctionId } from './function-ids.js';
export type { KillStore } from './kill-store.js';
export { defaultKillStore, killSession, MemoryKillStore, reviveSession } from './kill-store.js';
export type { AgentLoopConfig } from './loop-config.js';
export type {
  FunctionResponder,
  HumanResponder,
  LLMResponder,
  LoopBudget,
  LoopDefinition,
  LoopDetection,
  LoopLike,
  Responder,
  RespondInfo,
  SubGraphResponder,
  SubLoopOptions,
  SubLoopResponder,
} from './loop-definition.js';
export { DETECTOR_SLACK, maybeInfiniteLoop, messageFingerprint } from './loop-detector.js';
export { loopHistory } from './loop-history.js';
export type { LoopEntity, LoopMessage, ResponderOutput, ResponderReply, ToolResult } from './loop-message.js';
export { DONE_TOOLS, NO_ANSWER, PASS_MARKER, QUIT_STRINGS, SEND_MARKER } from './loop-message.js';
export type { LoopEnd, LoopRunResult } from './loop-result.js';
export { findLoopEnd } from './loop-result.js';
export type { LoopInput, LoopInputMessage } from './loop-start.js';
export type {
  AttemptOutcome,
  AttemptRecord,
  CommitRecord,
  DetectorState,
  LoopCaller,
  LoopLimits,
  LoopNodeOutput,
  LoopState,
  LoopStateWithHistory,
  LoopUsage,
  StepRecord,
  TurnProgress,
} from './loop-state.js';
export type { LoopStatus } from './loop-status.js';
export { LOOP_STATUSES } from './loop-status.js';
export { MeteredHandler } from './metered-handler.js';
export { loopPromptMessages } from './prompt-messages.js';
export type { LoopReplyKind } from './reply-validity.js';
export type {
  FunctionResponderOptions,
  HumanResponderOptions,
  LLMResponderOptions,
  SubGraphResponderOptions,
  SubLoopResponderOptions,
} from './responders.js';
export { functionResponder, humanResponder, llmResponder, subGraph, subLoop } from './responders.js';
export { extractTyped } from './return-type.js';
export type { StepDriverOptions } from './step-driver.js';
export { StepDriver } from './step-driver.js';
export type { AttemptOutput } from './take-reply.js';
