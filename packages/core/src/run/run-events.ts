import type { ErrorData } from '../model/error-data.js';
import type { LLMUsage } from '../model/llm-handler.js';
import type { Stage, TaskKind } from '../model/task.js';

/** The outcome of a run as a whole. */
export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'waiting';

/**
 * Events for progress displays and logs. `taskPath` is the task's path from the root graph: the ids of
 * the enclosing graph tasks, then the task's own id.
 */
export type RunEvent =
  | { type: 'run:start'; at: number /** Tasks of the root graph and its nested graphs. */; tasks: number }
  | { type: 'run:end'; at: number; status: RunStatus }
  | { type: 'task:added'; taskPath: string[]; kind: TaskKind; createdBy: string }
  | { type: 'task:start'; taskPath: string[]; kind: TaskKind }
  | { type: 'task:reused'; taskPath: string[]; kind: TaskKind }
  | { type: 'task:done'; taskPath: string[]; kind: TaskKind; durationMs: number }
  | { type: 'task:failed'; taskPath: string[]; kind: TaskKind; error: ErrorData }
  | { type: 'task:cancelled'; taskPath: string[]; kind: TaskKind }
  | { type: 'task:waiting'; taskPath: string[]; kind: TaskKind; question: unknown }
  | { type: 'task:skipped'; taskPath: string[]; kind: TaskKind; failedDependency: string }
  | { type: 'task:dropped'; taskPath: string[]; kind: TaskKind }
  /** A stage's work begins (a function call, an LLM call, a question); reused stages have none. */
  | { type: 'stage:start'; taskPath: string[]; kind: TaskKind; stage: Stage }
  | { type: 'stage:end'; taskPath: string[]; kind: TaskKind; stage: Stage; ok: boolean }
  | { type: 'llm:start'; taskPath: string[]; handler: string; model: string | undefined }
  /** Text of a reply as it arrives, from a handler that streams; the stored response is the whole reply. */
  | { type: 'llm:delta'; taskPath: string[]; handler: string; text: string }
  | {
      type: 'llm:usage';
      taskPath: string[];
      handler: string;
      model: string | undefined;
      usage: LLMUsage | undefined;
      costUsd: number | null | undefined;
    };

export type RunEventListener = (event: RunEvent) => void;
