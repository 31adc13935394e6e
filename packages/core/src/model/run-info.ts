import type { ErrorData } from './error-data.js';

/** LLM calls made in a run (reused responses are not counted). */
export interface RunUsage {
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Sum over calls with a known price. */
  costUsd: number;
  /** Calls whose model had no price: their cost is unknown, not zero. */
  unknownCostCalls: number;
}

/** How the last run of a graph went, as its trace records it. */
export interface RunInfo {
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'waiting';
  startedAt: string;
  endedAt?: string | undefined;
  durationMs?: number | undefined;
  error?: ErrorData | undefined;
  usage?: RunUsage | undefined;
  /** The program that ran (the CLI gives its module's path): a run of another program refuses the trace. */
  program?: string | undefined;
  /** What stands behind each LLM handler the run used (for example "not a real model"). */
  handlers?: Record<string, string> | undefined;
}
