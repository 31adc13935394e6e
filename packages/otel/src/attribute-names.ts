/**
 * Attribute names on the spans: the OpenTelemetry GenAI semantic conventions (`gen_ai.*`, v1.37 and later)
 * on LLM call spans, and taskgraph's own (`taskgraph.*`) on run, task and stage spans.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** The name before `gen_ai.provider.name` (semantic conventions up to v1.36), still read by many backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestSeed: 'gen_ai.request.seed',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',

  runStatus: 'taskgraph.run.status',
  runTasks: 'taskgraph.run.tasks',
  taskId: 'taskgraph.task.id',
  taskPath: 'taskgraph.task.path',
  taskKind: 'taskgraph.task.kind',
  taskStatus: 'taskgraph.task.status',
  taskReused: 'taskgraph.task.reused',
  taskCreatedBy: 'taskgraph.task.created_by',
  /** Followed by `.<stage>`: the fingerprint of each stored stage. */
  taskFingerprint: 'taskgraph.task.fingerprint',
  stage: 'taskgraph.stage',
  llmHandler: 'taskgraph.llm.handler',
  llmCostUsd: 'taskgraph.llm.cost_usd',
} as const;
