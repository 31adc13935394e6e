export { BullMQExecutor, type BullMQExecutorOptions } from './bullmq-executor.js';
export {
  BULLMQ_ERROR_CODES,
  type BullMQErrorCode,
  RedisLostError,
  RedisUnavailableError,
} from './errors.js';
export type { QueueAddress } from './queue-names.js';
export { startWorker, type TaskGraphWorker, type WorkerOptions } from './start-worker.js';
export {
  type FunctionJobData,
  type JobData,
  type LLMJobData,
  type OutcomeData,
  WIRE_VERSION,
} from './wire-format.js';
