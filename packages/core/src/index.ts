export { BUILTIN } from './builtins.js';
export type { EditField, TraceEdit } from './edit-trace.js';
export { closest, editTrace, findTask } from './edit-trace.js';
export type { ErrorData } from './error-data.js';
export { deserializeError, serializeError } from './error-data.js';
export type { ErrorCode, TaskGraphErrorOptions } from './errors.js';
export {
  CancelledError,
  CycleError,
  DuplicateTaskError,
  InvalidTraceError,
  LimitExceededError,
  OutputInvalidError,
  TaskFailedError,
  TaskGraphError,
  UnknownDependencyError,
  UnknownFunctionError,
  UnknownHandlerError,
  UnsupportedTraceVersionError,
} from './errors.js';
export type { ForceOptions } from './force-set.js';
export { canonicalJson, hashText } from './hash.js';
export { applyJournal, foldJournal, journalPath } from './journal-fold.js';
export type { LLMBudget } from './llm-budget.js';
export { BudgetExceededError } from './llm-budget.js';
export type {
  AssistantMessage,
  ChatMessage,
  LLMCallOptions,
  LLMHandler,
  LLMParams,
  LLMRequest,
  LLMResult,
  LLMUsage,
  Prompt,
  ToolCall,
} from './llm-handler.js';
export { promptToMessages } from './llm-handler.js';
export { parseJsonText } from './parse-json-text.js';
export type { FunctionDef, RegisterOptions } from './registry.js';
export { FunctionRegistry } from './registry.js';
export type { PlanAction, PlanCause, PlanOptions, ReplayPlan, StagePlan, TaskPlan } from './replay-plan.js';
export { planReplay } from './replay-plan.js';
export type { ResponseCache } from './response-cache.js';
export { DiskResponseCache, MemoryResponseCache } from './response-cache.js';
export type { RunEvent, RunEventListener, RunStatus } from './run-events.js';
export type { RunOptions } from './run-options.js';
export type { ScriptedHandlerOptions, ScriptedReply } from './scripted-handler.js';
export { ScriptedHandler } from './scripted-handler.js';
export type { AnyTask, LLMParser, Stage, TaskKind, TaskStatus } from './task.js';
export { FunctionTask, GraphTask, LLMTask, Task } from './task.js';
export type { TaskContext, TaskFunction } from './task-context.js';
export type { TaskGraphOptions } from './task-graph.js';
export { TaskGraph } from './task-graph.js';
export type {
  Deps,
  FunctionTaskSpec,
  GraphTaskSpec,
  LLMTaskSpec,
  NamedDeps,
  ParserDef,
  TaskRef,
  TaskSpec,
} from './task-spec.js';
export type { DiffField, FieldDiff, TaskDiff, TraceDiff } from './trace-diff.js';
export { diffTraces } from './trace-diff.js';
export type { LoadTraceOptions } from './trace-file.js';
export { loadTrace, saveTrace } from './trace-file.js';
export { writeFileAtomic } from './trace-file-write.js';
export { traceJsonSchema } from './trace-json-schema.js';
export type {
  FunctionRecord,
  GraphDocument,
  GraphRecord,
  LLMRecord,
  RunInfo,
  RunUsage,
  TaskRecord,
  TraceDocument,
} from './trace-schema.js';
export { TRACE_FORMAT, TRACE_VERSION, traceDocumentSchema } from './trace-schema.js';
export { TRACE_SCHEMA_URL } from './trace-write.js';
export type { EncodedValue, JsonValue } from './value-codec.js';
export { decodeValue, encodeValue, isPlainJson } from './value-codec.js';
