export { decodeValue, encodeValue } from './memo/value-codec.js';
export { BUILTIN } from './model/builtins.js';
export { createdTaskId, type Lineage } from './model/created-task-id.js';
export { DEPTH_LIMIT } from './model/depth-limit.js';
export type { ErrorData } from './model/error-data.js';
export { deserializeError, serializeError } from './model/error-data.js';
export type { CoreErrorCode, ErrorCode, TaskGraphErrorOptions } from './model/errors.js';
export {
  AwaitingAnswersError,
  CancelledError,
  CORE_ERROR_CODES,
  CycleError,
  DuplicateTaskError,
  errorCode,
  InvalidTraceError,
  LimitExceededError,
  OutputInvalidError,
  TaskFailedError,
  TaskGraphError,
  UnknownDependencyError,
  UnknownFunctionError,
  UnknownHandlerError,
  UnsupportedTraceVersionError,
} from './model/errors.js';
export type { ForceOptions } from './model/force-set.js';
export type { EncodedValue, JsonValue } from './model/json-value.js';
export { type FunctionAttempts, FunctionTask } from './model/kinds/function-kind.js';
export { GraphTask } from './model/kinds/graph-kind.js';
export { type AnswerParser, HumanTask, type HumanTaskOptions } from './model/kinds/human-kind.js';
export { type LLMParser, LLMTask, type RepairAttempt } from './model/kinds/llm-kind.js';
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
} from './model/llm-handler.js';
export { promptToMessages } from './model/llm-handler.js';
export { parseJsonText } from './model/parse-json-text.js';
export type { FunctionDef, GraphStartHook, RegisterOptions } from './model/registry.js';
export { FunctionRegistry } from './model/registry.js';
export type { RunInfo, RunUsage } from './model/run-info.js';
export type { Stage, TaskKind, TaskStatus } from './model/task.js';
export { Task } from './model/task.js';
export type { TaskContext, TaskFunction } from './model/task-context.js';
export type { TaskGraphBase } from './model/task-graph-base.js';
export type { HumanQuestion } from './model/task-kind.js';
export type { AnyTask } from './model/task-kinds.js';
export type {
  AnswerParserDef,
  Deps,
  FunctionTaskSpec,
  GraphTaskSpec,
  HumanTaskSpec,
  LLMTaskSpec,
  NamedDeps,
  ParserDef,
  TaskRef,
  TaskSpec,
} from './model/task-spec.js';
export { InProcessExecutor } from './run/in-process-executor.js';
export type { LLMBudget } from './run/llm-budget.js';
export { BudgetExceededError } from './run/llm-budget.js';
export type { RunEvent, RunEventListener, RunStatus } from './run/run-events.js';
export type { RunOptions } from './run/run-options.js';
export type { RunStreamItem } from './run/stream-run.js';
export type {
  AttemptPolicy,
  ExecuteEnv,
  FunctionCall,
  LLMCall,
  StageCall,
  StageOutcome,
  TaskExecutor,
} from './run/task-executor.js';
export { FileTraceStore } from './store/file-trace-store.js';
export type { ResponseCache } from './store/response-cache.js';
export { DiskResponseCache } from './store/response-cache.js';
export { traceText } from './store/trace-file-io.js';
export type { TraceStore } from './store/trace-store.js';
export { TaskGraph, type TaskGraphOptions } from './task-graph.js';
export { answerTask } from './trace/answer-task.js';
export type { EditField, TraceEdit } from './trace/edit-trace.js';
export { editTrace, findTask } from './trace/edit-trace.js';
export type {
  LLMCallRange,
  PlanAction,
  PlanCause,
  PlanOptions,
  ReplayPlan,
  StagePlan,
  TaskPlan,
} from './trace/replay-plan.js';
export { planReplay } from './trace/replay-plan.js';
export type { DiffField, FieldDiff, TaskDiff, TraceDiff } from './trace/trace-diff.js';
export { diffTraces } from './trace/trace-diff.js';
export { TRACE_FILE_VERSION, traceFileDocumentSchema } from './trace/trace-file-schema.js';
export { traceJsonSchema } from './trace/trace-json-schema.js';
export type {
  FunctionRecord,
  GraphDocument,
  GraphRecord,
  HumanRecord,
  LLMRecord,
  TaskRecord,
  TraceDocument,
} from './trace/trace-schema.js';
export { TRACE_FORMAT, TRACE_VERSION, traceDocumentSchema } from './trace/trace-schema.js';
export { TRACE_SCHEMA_URL } from './trace/trace-write.js';
export { type LoadTraceOptions, loadTrace, saveTrace } from './trace-files.js';
