import type {
  EncodedValue,
  ErrorData,
  FunctionCall,
  JsonValue,
  Lineage,
  LLMCall,
  LLMRequest,
  Stage,
  StageCall,
  StageOutcome,
  Task,
  TaskGraphBase,
} from '@taskgraph/core';
import { decodeValue, encodeValue, serializeError, TaskGraphError } from '@taskgraph/core';
import { readTaskRecord, writeTask } from '@taskgraph/core/internal';
import type { BullMQErrorCode } from './errors.js';

/** The version of what crosses Redis; a job or result of another version is refused (WIRE_FORMAT). */
export const WIRE_VERSION = 1;

interface JobBase {
  v: number;
  taskPath: string[];
  kind: string;
  stage: Stage;
}

/** A function call as job data: values in the trace's encoding (superjson only where JSON cannot hold them). */
export interface FunctionJobData extends JobBase {
  type: 'function';
  fn: string;
  version?: string;
  args: EncodedValue;
  taskArgs?: JsonValue;
  input: EncodedValue;
  attempts: { retries: number; timeoutMs?: number; backoffMs: number };
  lineage: Lineage;
}

/** An LLM call as job data. */
export interface LLMJobData extends JobBase {
  type: 'llm';
  handler: string;
  request: EncodedValue;
  fingerprint: string;
}

export type JobData = FunctionJobData | LLMJobData;

/** A call's outcome as a job's result. Created tasks travel as their trace records. */
export interface OutcomeData {
  v: number;
  ok: boolean;
  value?: EncodedValue;
  error?: ErrorData;
  inputRead: boolean;
  attempts: number;
  created?: Record<string, unknown>[];
}

const inputs = new WeakMap<object, EncodedValue>();

/** The graph input, encoded once per input object (every call of a run carries the same one). */
function encodeInput(input: unknown): EncodedValue {
  if (input === null || typeof input !== 'object') return encodeValue(input);
  let encoded = inputs.get(input);
  if (!encoded) {
    encoded = encodeValue(input);
    inputs.set(input, encoded);
  }
  return encoded;
}

export function callToJob(call: StageCall): JobData {
  const base = { v: WIRE_VERSION, taskPath: [...call.taskPath], kind: call.kind, stage: call.stage };
  if (call.type === 'llm') {
    return {
      ...base,
      type: 'llm',
      handler: call.handler,
      request: encodeValue(call.request),
      fingerprint: call.fingerprint,
    };
  }
  const { retries, timeoutMs, backoffMs } = call.attempts;
  const lineage = call.lineage;
  const data: FunctionJobData = {
    ...base,
    type: 'function',
    fn: call.fn,
    args: encodeValue(call.args),
    input: encodeInput(call.input),
    attempts: timeoutMs === undefined ? { retries, backoffMs } : { retries, timeoutMs, backoffMs },
    lineage: { root: lineage.root, generation: lineage.generation },
  };
  if (call.version !== undefined) data.version = call.version;
  if (call.taskArgs !== undefined) data.taskArgs = call.taskArgs;
  return data;
}

/** The call a job holds, with live values again; data of another version is WIRE_FORMAT. */
export function jobToCall(data: unknown): StageCall {
  const job = data as Partial<JobData> | null;
  if (job === null || typeof job !== 'object' || job.v !== WIRE_VERSION) {
    throw wireError(
      `a job holds data of wire version ${String((job as { v?: unknown } | null)?.v)}, and this worker reads version ${WIRE_VERSION}. Run the same version of @taskgraph/bullmq on the scheduler and the workers.`,
    );
  }
  const base = { taskPath: job.taskPath ?? [], kind: job.kind ?? '', stage: job.stage as Stage };
  if (job.type === 'llm') {
    const call: LLMCall = {
      ...base,
      type: 'llm',
      handler: job.handler ?? '',
      request: decodeValue(job.request as EncodedValue) as LLMRequest,
      fingerprint: job.fingerprint ?? '',
    };
    return call;
  }
  if (job.type !== 'function') throw wireError(`a job has the unknown type ${JSON.stringify(job.type)}.`);
  const attempts = job.attempts ?? { retries: 0, backoffMs: 0 };
  const call: FunctionCall = {
    ...base,
    type: 'function',
    fn: job.fn ?? '',
    version: job.version,
    args: decodeValue(job.args as EncodedValue) as unknown[],
    taskArgs: job.taskArgs,
    input: decodeValue(job.input as EncodedValue),
    attempts: { retries: attempts.retries, timeoutMs: attempts.timeoutMs, backoffMs: attempts.backoffMs },
    lineage: job.lineage ?? { root: base.taskPath[base.taskPath.length - 1] ?? '', generation: 0 },
  };
  return call;
}

export function outcomeToData(outcome: StageOutcome): OutcomeData {
  const data: OutcomeData = {
    v: WIRE_VERSION,
    ok: outcome.ok,
    inputRead: outcome.inputRead,
    attempts: outcome.attempts,
  };
  if (outcome.ok) data.value = encodeValue(outcome.value);
  else data.error = serializeError(outcome.error);
  if (outcome.created.length > 0) data.created = outcome.created.map((task) => writeTask(task) as never);
  return data;
}

/**
 * The outcome a job's result holds: values decoded, errors left as ErrorData (the scheduler reads their
 * `code`), created tasks rebuilt from their records (`graph` makes the nested graph of a graph task).
 */
export function dataToOutcome(data: unknown, graph: () => TaskGraphBase): StageOutcome {
  const result = data as Partial<OutcomeData> | null;
  if (result === null || typeof result !== 'object' || result.v !== WIRE_VERSION) {
    throw wireError(
      `a job's result is not of wire version ${WIRE_VERSION}. Run the same version of @taskgraph/bullmq on the scheduler and the workers.`,
    );
  }
  const created: Task[] = (result.created ?? []).map((record, i) =>
    readTaskRecord(record, graph(), `$.created[${i}]`),
  );
  const common = { inputRead: result.inputRead ?? false, created, attempts: result.attempts ?? 1 };
  return result.ok
    ? { ok: true, value: decodeValue(result.value ?? { json: null }), ...common }
    : { ok: false, error: result.error ?? { name: 'Error', message: 'no error data' }, ...common };
}

function wireError(problem: string): TaskGraphError<BullMQErrorCode> {
  return new TaskGraphError<BullMQErrorCode>('WIRE_FORMAT', `@taskgraph/bullmq: ${problem}`);
}
