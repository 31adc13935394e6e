export * from './agent-loop/index.js';
export { PATTERN_ERROR_CODES, type PatternErrorCode } from './pattern-error-codes.js';
export type { CheckInput, Planner, PlannerOptions, RefineInput } from './planner/create-planner.js';
export { createPlanner } from './planner/create-planner.js';
export type { JsonReply } from './planner/json-reply.js';
export { parseJsonReply, repairJsonText } from './planner/json-reply.js';
export type { MergeMode } from './planner/merge-objects.js';
export { mergeObjects } from './planner/merge-objects.js';
export { normalizeTask } from './planner/normalize-task.js';
export { OutputParseError } from './planner/output-parse-error.js';
export type { ConfirmDecision, ConfirmHook, ConfirmRequest, TaskEdit } from './planner/planner-confirm.js';
export { confirmDecisionSchema } from './planner/planner-confirm.js';
export type { DriverPause } from './planner/planner-driver.js';
export { PlannerDriver } from './planner/planner-driver.js';
export type { PlannerEvent, PlannerEventSink } from './planner/planner-events.js';
export type { PlannerFunctionIds } from './planner/planner-function-ids.js';
export { plannerFunctionIds } from './planner/planner-function-ids.js';
export { plannerStateAt, UnknownPlannerHistoryError } from './planner/planner-history.js';
export type { PlannerPersistFile, PlannerSnapshot } from './planner/planner-persist.js';
export {
  PlannerPersistError,
  parsePlannerPersist,
  plannerPersist,
  plannerPersistSchema,
  readPlannerPersist,
  writePlannerPersist,
} from './planner/planner-persist.js';
export type { PlannerResult } from './planner/planner-result.js';
export type { PlannedTask, PlannedTaskInput, RefinePatch, ReplyKind } from './planner/planner-schemas.js';
export {
  checkReplySchema,
  plannedTaskSchema,
  planReplySchema,
  refinePatchSchema,
  refineReplySchema,
} from './planner/planner-schemas.js';
export type { PlannerInput, PlannerSettings } from './planner/planner-settings.js';
export type {
  ApplyPatchOptions,
  CompletedTask,
  PlannerAdditions,
  PlannerLists,
  PlannerState,
  PlannerStateWithLists,
  PlannerStatus,
} from './planner/planner-state.js';
export { applyPatch, initialPlannerState } from './planner/planner-state.js';
export type { PlannerStart, ReplyEnvelope, StepArgs, WorkResult } from './planner/planner-step.js';
export type { PlannerOverrides } from './planner/resume-planner.js';
export { overridePlannerState } from './planner/resume-planner.js';
export type { PlannerRunOptions } from './planner/run-planner.js';
export type { WorkerContext, WorkerContextInput, WorkerContextOptions } from './planner/worker-context.js';
export { buildWorkerContext } from './planner/worker-context.js';
export { applyQueueUpdate } from './queue/apply-queue-update.js';
export { QUEUE_FUNCTIONS } from './queue/queue-function-ids.js';
export type { OpTaskArgs, QueueOperationsOptions, TaskAdder } from './queue/queue-graph.js';
export { addQueueOperations, queueRecords, queueState } from './queue/queue-graph.js';
export type {
  HandlerResult,
  QueueCode,
  QueueHandler,
  QueueOp,
  QueueOpArgs,
  QueueStatus,
  UnfinishedPolicy,
} from './queue/queue-handlers.js';
export { QUEUE_HANDLERS } from './queue/queue-handlers.js';
export type { QueueSource } from './queue/queue-source.js';
export type { Claim, DoneEntry, FailedEntry, QueueItem, QueueState } from './queue/queue-state.js';
export { emptyQueueState, parseQueueState, queueItemSchema, queueStateSchema } from './queue/queue-state.js';
export type { QueueSupervisorOptions, SupervisorSettings, SupervisorTurn } from './queue/queue-supervisor.js';
export {
  addQueueSupervisor,
  DEFAULT_SUPERVISOR_INSTRUCTIONS,
  handoffToolName,
  SUPERVISOR_FUNCTIONS,
  supervisorResult,
} from './queue/queue-supervisor.js';
export type { QueueToolArgs, QueueToolOptions } from './queue/queue-tool.js';
export {
  QUEUE_TOOL_MODES,
  QUEUE_TOOL_NAME,
  queueRequestFromToolCall,
  queueToolArgsSchema,
  queueToolDefinition,
} from './queue/queue-tool.js';
export type { QueueWorkersOptions, RoundOutput } from './queue/queue-workers.js';
export { addQueueWorkers } from './queue/queue-workers.js';
export type { RegisterQueueOptions, WorkOutcome } from './queue/register-queue.js';
export { registerQueue } from './queue/register-queue.js';
export type { QueueOptions, QueueRecord, QueueRequest } from './queue/run-queue-operation.js';
export { runQueueOperation } from './queue/run-queue-operation.js';
export { replayQueue, TaskQueue } from './queue/task-queue.js';
export { UnknownStateKeyError } from './queue/unknown-state-key-error.js';
export type {
  AgentAssistant,
  AgentSettings,
  Assistant,
  AssistantInput,
  AssistantRef,
  ExternalAssistant,
  FunctionAssistant,
} from './shared/assistant.js';
export { externalAssistant, functionAssistant, registerAssistants, toolAgent } from './shared/assistant.js';
export type { ChainLog } from './shared/hash-chain-log.js';
export type { AgentTurn } from './shared/register-assistant-calls.js';
export type { ToolCallRecord, ToolSpec } from './shared/tools.js';
export { defineTool, registerTools, toolDefinition, toolFunctionId } from './shared/tools.js';
