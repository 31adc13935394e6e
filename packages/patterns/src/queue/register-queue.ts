import type { FunctionRegistry, JsonValue, TaskContext } from '@taskgraph/core';
import { serializeError } from '@taskgraph/core';
import type { Assistant } from '../shared/assistant.js';
import { registerAssistants } from '../shared/assistant.js';
import { registerAssistantCalls } from '../shared/register-assistant-calls.js';
import type { ToolSpec } from '../shared/tools.js';
import { registerTools } from '../shared/tools.js';
import { QUEUE_FUNCTIONS } from './queue-function-ids.js';
import type { OpTaskArgs } from './queue-graph.js';
import type { QueueHandler, QueueOpArgs } from './queue-handlers.js';
import type { QueueSource } from './queue-source.js';
import { readQueueSource } from './queue-source.js';
import { addWorkRound, type RoundArgs, type RoundOutput } from './queue-workers.js';
import { registerSupervisor } from './register-supervisor.js';
import type { QueueRecord } from './run-queue-operation.js';
import { runQueueOperation } from './run-queue-operation.js';

/** What a worker task outputs: its result, or why it failed. */
export type WorkOutcome = { ok: true; result?: JsonValue } | { ok: false; error: string };

export interface RegisterQueueOptions {
  /** Operations beside the built-in ones (see QueueOptions.handlers). */
  handlers?: Readonly<Record<string, QueueHandler>>;
  /** Tools a supervisor may call beside the queue (see addQueueSupervisor). */
  tools?: readonly ToolSpec[];
  /** Member assistants a supervisor may hand tasks to (see addQueueSupervisor's `members`). */
  members?: readonly Assistant[];
}

/**
 * Registers the functions the queue's tasks run, the supervisor's, and `options.tools`. Call it once per
 * registry, before running a graph that holds queue tasks (addQueueOperations, addQueueWorkers,
 * addQueueSupervisor).
 */
export function registerQueue(registry: FunctionRegistry, options: RegisterQueueOptions = {}) {
  const handlers = options.handlers ?? {};
  registerTools(registry, options.tools ?? []);
  registerAssistants(registry, options.members ?? [], 'registerQueue');
  registerAssistantCalls(registry);
  registerSupervisor(registry);
  const run = (ctx: TaskContext, source: QueueSource, op: OpTaskArgs): QueueRecord => {
    const { state, seq } = readQueueSource(source, op.initial, `task "${ctx.taskId}"`);
    const request = { op: op.op, args: op.args, toolCallId: op.toolCallId };
    const queueOptions = { handlers, ...(op.onUnfinished ? { onUnfinished: op.onUnfinished } : {}) };
    return runQueueOperation(state, request, queueOptions, seq + 1);
  };

  const op = registry.register(QUEUE_FUNCTIONS.op, (ctx, source?: QueueSource) =>
    run(ctx, source, ctx.args as unknown as OpTaskArgs),
  );

  const settle = registry.register(
    QUEUE_FUNCTIONS.settle,
    (ctx, source: QueueSource, outcome: WorkOutcome): QueueRecord => {
      const { queue, worker } = ctx.args as { queue: string; worker: string };
      const args: QueueOpArgs = outcome.ok
        ? { worker, ...(outcome.result === undefined ? {} : { result: outcome.result }) }
        : { worker, error: outcome.error };
      return run(ctx, source, { queue, op: outcome.ok ? 'markDone' : 'markFailed', args });
    },
  );

  const work = registry.register(
    QUEUE_FUNCTIONS.work,
    async (ctx, claim: QueueRecord): Promise<WorkOutcome> => {
      if (!claim.ok || claim.task === undefined)
        return { ok: false, error: `no task was claimed: ${claim.message}` };
      const { worker } = ctx.args as { worker: string };
      try {
        const result = await registry.get(worker, ctx.taskPath).fn(ctx, ...([claim.task] as never[]));
        return result === undefined ? { ok: true } : { ok: true, result: result as JsonValue };
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return { ok: false, error: serializeError(error).message };
      }
    },
  );

  const round = registry.register(
    QUEUE_FUNCTIONS.round,
    (ctx, source: QueueSource): RoundOutput =>
      addWorkRound(
        ctx,
        readQueueSource(source, undefined, `task "${ctx.taskId}"`).state,
        ctx.args as unknown as RoundArgs,
      ),
  );

  return { op, settle, work, round };
}
