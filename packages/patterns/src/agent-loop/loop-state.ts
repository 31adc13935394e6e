import type { ConversationLog } from './conversation-log.js';
import type { StepSummary } from './done-sequence.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopStatus } from './loop-status.js';

/** LLM usage of a loop run, sub-loops included, summed from the usage each call recorded in the trace. */
export interface LoopUsage {
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Calls whose cost is unknown (no price for the model): counted as 0 in `costUsd`. */
  unknownCostCalls: number;
}

/** The limits in force for this run of the loop (config, input, caller and per-pair options merged). */
export interface LoopLimits {
  turns: number | null;
  maxTurns: number | null;
  maxStalledSteps: number;
  maxTokens: number | null;
  maxCostUsd: number | null;
  cycleLen: number;
}

/** A sub-loop's link to the loop that called it, and where that loop goes on when it ends. */
export interface LoopCaller {
  loop: string;
  /** Id of the caller's step task that started this run. */
  node: string;
  responder: string;
  turn: number;
  /** Local id of the caller's step task that takes this run's result. */
  nextNode: string;
}

export type AttemptOutcome =
  | 'valid'
  | 'invalid'
  | 'no-answer'
  | 'pass'
  | 'cannot-respond'
  | 'refused'
  | 'error'
  | 'done';

export interface AttemptRecord {
  responder: string;
  outcome: AttemptOutcome;
  reason?: string;
}

/** A turn in progress: the responder order, who was tried, a remembered DO-NOT-KNOW, the call in flight. */
export interface TurnProgress {
  turn: number;
  order: string[];
  next: number;
  attempts: number;
  tried: AttemptRecord[];
  noAnswer: LoopMessage | null;
  inFlight: string | null;
}

/** Inputs of loop detection, kept in the state so that a replay decides the same. */
export interface DetectorState {
  /**
   * How many committed steps had each message fingerprint, in first-seen order: the most frequent
   * ones, at most `DETECTOR_CAPACITY` (see loop-detector.ts), so that the state stays bounded.
   */
  counts: Record<string, number>;
  /** Fingerprints counted so far (the sum of all counts, dropped ones included). */
  total: number;
  /** Distinct fingerprints seen so far (a dropped one seen again counts again). */
  distinct: number;
  /** The last `cycleLen × waitFactor` fingerprints. */
  recent: string[];
  lastNoAnswerTurn: number | null;
  alternations: number;
}

/**
 * Everything a loop knows after a step task: plain JSON, the output of every step task. Nothing else
 * carries state from one turn to the next, so a replay of the trace makes every decision again the same.
 */
export interface LoopState {
  loop: string;
  session: string;
  caller: LoopCaller | null;
  /** Turns committed so far. */
  turn: number;
  pending: LoopMessage;
  /** The conversation before this step's own messages: its length and a hash chain over it. */
  log: ConversationLog;
  /** The messages this step added to the conversation (the first step: the carried ones and the input). */
  added: LoopMessage[];
  /**
   * The whole conversation, oldest first: only in the state of a run's result (`LoopRunResult.state`,
   * `findLoopEnd`, `StepDriver.current`), rebuilt once from the steps' `added`. A step task's stored
   * output does not hold it, so that a step costs the same at turn 10 and at turn 10,000.
   */
  history?: LoopMessage[];
  stalled: number;
  detector: DetectorState;
  /** The last steps, as the done-sequence DSL sees them. */
  steps: StepSummary[];
  usage: LoopUsage;
  limits: LoopLimits;
  /** The last turn in which the human responder was asked (for the human-first rule). */
  humanTurn: number | null;
  inTurn: TurnProgress | null;
  status: LoopStatus | null;
  result: LoopMessage | null;
  error?: { name: string; message: string; code?: string };
  /** The typed result (`returnType`), when the loop has one and it could be extracted. */
  value?: unknown;
  /** A step driver stopped the loop before its next turn. */
  paused?: boolean;
  /** For each sub-loop responder called so far: the id of the last step task of its last run. */
  subRuns?: Record<string, string>;
}

export interface CommitRecord {
  kind: 'valid' | 'no-answer' | 'pass' | 'null-result' | 'none';
  id: string | null;
  sender: string | null;
  fingerprint: string | null;
}

/** What one step task did: the responders it tried, what it committed, the counters after it. */
export interface StepRecord {
  turn: number;
  tried: AttemptRecord[];
  committed: CommitRecord | null;
  stalled: number;
  loopCheck: { distinct: number; alternations: number };
  usage: LoopUsage;
  status: LoopStatus | null;
  warnings: string[];
}

/** A loop's state with the whole conversation (`history`), as a run's result gives it. */
export type LoopStateWithHistory = LoopState & { history: LoopMessage[] };

/** The output of a step task. */
export interface LoopNodeOutput {
  state: LoopState;
  record: StepRecord;
}

export function emptyUsage(): LoopUsage {
  return {
    llmCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    unknownCostCalls: 0,
  };
}
