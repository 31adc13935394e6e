import { commitStep } from './commit-step.js';
import { extendLog } from './conversation-log.js';
import { cannotRespond, responderOrder } from './eligibility.js';
import { finish } from './end-checks.js';
import { spentLimit } from './loop-budget.js';
import type { LoopDefinition, Responder } from './loop-definition.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopNodeOutput, LoopState, StepRecord, TurnProgress } from './loop-state.js';
import type { AttemptOutput } from './take-reply.js';
import { takeReply } from './take-reply.js';

export interface AdvanceInput {
  /** The reply of the responder in flight, for a step task that follows an attempt. */
  attempt: { responder: string; output: AttemptOutput } | null;
  /** Whether the session was killed (asked once, when the step task starts). */
  killed: boolean;
  /** Turns a step driver lets this run play; undefined when no driver holds it. */
  gate: number | undefined;
  /** The step task's path, for errors. */
  taskPath: readonly string[];
  /**
   * The previous state is where a run starts (rootState, childState), not a stored step's output: its
   * `added` messages are this step's own. Otherwise they join the conversation before this step.
   */
  start?: boolean;
}

/**
 * What a step task creates next: an attempt (the responder's task and the step task that takes its reply),
 * or, for a turn that needs no attempt once this task has committed one, a step task that plays it, so
 * that every turn is committed by a task of its own.
 */
export type LoopAction =
  | {
      kind: 'attempt';
      responder: Responder;
      turn: number;
      attemptId: string;
      nodeId: string;
      /** For a sub-loop that continues its previous run: that run's last step task. */
      continues?: string;
    }
  | { kind: 'continue'; turn: number; nodeId: string };

export const MULTIPLE_TOOLS_REFUSED = 'cannot pass multiple tools to another agent!';

/**
 * The loop's state machine, a pure function of the previous state (and the reply of the attempt it
 * follows): it takes the reply, commits the turn when it can, checks the end conditions, and either ends
 * the loop or names the next responder to try. A step task runs it once; nothing else decides.
 */
export function advanceLoop(
  def: LoopDefinition,
  previous: LoopState,
  input: AdvanceInput,
): { output: LoopNodeOutput; action: LoopAction | null } {
  const { added, history: _whole, ...rest } = previous;
  const state: LoopState = { ...structuredClone(rest), added: input.start ? structuredClone(added) : [] };
  delete state.paused;
  if (!input.start) state.log = extendLog(previous.log, added, state);
  const record: StepRecord = {
    turn: state.inTurn?.turn ?? state.turn,
    tried: [],
    committed: null,
    stalled: 0,
    loopCheck: { distinct: 0, alternations: 0 },
    usage: state.usage,
    status: null,
    warnings: [],
  };
  if (input.attempt)
    takeReply(def, state, record, { ...input.attempt, killed: input.killed, taskPath: input.taskPath });
  let action: LoopAction | null = null;
  while (state.status === null && action === null) {
    if (input.killed) {
      finish(def, state, 'KILL');
      break;
    }
    const mayCommit = record.committed === null;
    if (state.inTurn === null) {
      if (input.gate !== undefined && state.turn >= input.gate) {
        state.paused = true;
        break;
      }
      if (!mayCommit && unknownRecipient(def, state)) action = playLater(state.turn + 1);
      else beginTurn(def, state, record, input.killed);
      continue;
    }
    action = nextAction(def, state, record, input.killed, mayCommit);
  }
  if (state.inTurn && record.committed === null) record.tried = state.inTurn.tried;
  record.stalled = state.stalled;
  record.loopCheck = {
    distinct: state.detector.distinct,
    alternations: state.detector.alternations,
  };
  record.usage = state.usage;
  record.status = state.status;
  return { output: { state, record }, action };
}

/**
 * Starts the next turn. A pending message addressed to a name that is neither a responder, the loop, nor
 * its caller is answered at once by the loop itself (as langroid's agent entity does): "Invalid recipient".
 */
function beginTurn(def: LoopDefinition, state: LoopState, record: StepRecord, killed: boolean): void {
  const turn = state.turn + 1;
  const progress: TurnProgress = {
    turn,
    order: responderOrder(def, state, turn),
    next: 0,
    attempts: 0,
    tried: [],
    noAnswer: null,
    inFlight: null,
  };
  state.inTurn = progress;
  if (!unknownRecipient(def, state)) return;
  const recipient = state.pending.recipient;
  const message: LoopMessage = {
    id: '',
    sender: def.name,
    entity: 'agent',
    content: `Invalid recipient: ${recipient}`,
  };
  progress.tried.push({ responder: def.name, outcome: 'valid', reason: 'invalid recipient' });
  commitStep(def, state, record, { kind: 'valid', message, responder: null }, killed);
}

function unknownRecipient(def: LoopDefinition, state: LoopState): boolean {
  const { recipient } = state.pending;
  if (recipient === undefined || def.byName.has(recipient) || recipient === def.name) return false;
  return recipient !== state.caller?.loop;
}

function playLater(turn: number): LoopAction {
  return { kind: 'continue', turn, nodeId: `turn-${turn}.0` };
}

/**
 * The next eligible responder as an action, or the end of the turn when none is left (played by a step
 * task of its own when this one has already committed a turn).
 */
function nextAction(
  def: LoopDefinition,
  state: LoopState,
  record: StepRecord,
  killed: boolean,
  mayCommit: boolean,
): LoopAction | null {
  const progress = state.inTurn as TurnProgress;
  while (progress.next < progress.order.length) {
    const responder = def.byName.get(progress.order[progress.next++] as string) as Responder;
    const why = cannotRespond(def, state, responder);
    if (why !== null) {
      progress.tried.push({ responder: responder.name, outcome: 'cannot-respond', reason: why });
      continue;
    }
    if (responder.kind === 'loop' && refusesToolCalls(responder, state)) {
      if (!mayCommit) {
        progress.next -= 1;
        return playLater(progress.turn);
      }
      refuse(def, state, record, responder, killed);
      return null;
    }
    if (responder.kind === 'llm' || responder.kind === 'loop') {
      const spent = spentLimit(state.limits, state.usage);
      if (spent) {
        finish(def, state, spent);
        return null;
      }
    }
    progress.attempts += 1;
    progress.inFlight = responder.name;
    if (responder.kind === 'human') state.humanTurn = progress.turn;
    const turn = `turn-${progress.turn}`;
    const nodeId = progress.attempts === 1 ? turn : `${turn}.${progress.attempts}`;
    const continues =
      responder.kind === 'loop' && responder.pair.restartAsSubtask !== true
        ? state.subRuns?.[responder.name]
        : undefined;
    return {
      kind: 'attempt',
      responder,
      turn: progress.turn,
      attemptId: `${turn}.${responder.name}`,
      nodeId,
      ...(continues === undefined ? {} : { continues }),
    };
  }
  if (!mayCommit) return playLater(progress.turn);
  if (progress.noAnswer) {
    const message = progress.noAnswer;
    commitStep(
      def,
      state,
      record,
      { kind: 'no-answer', message, responder: def.byName.get(message.sender) ?? null },
      killed,
    );
  } else commitStep(def, state, record, { kind: 'none' }, killed);
  return null;
}

function refusesToolCalls(responder: Responder & { kind: 'loop' }, state: LoopState): boolean {
  return responder.pair.allowMultipleToolCalls === false && (state.pending.toolCalls?.length ?? 0) > 1;
}

/** A sub-loop that takes one tool call at a time answers each of several calls with an error. */
function refuse(
  def: LoopDefinition,
  state: LoopState,
  record: StepRecord,
  responder: Responder,
  killed: boolean,
) {
  const calls = state.pending.toolCalls ?? [];
  const message: LoopMessage = {
    id: '',
    sender: responder.name,
    entity: 'agent',
    content: MULTIPLE_TOOLS_REFUSED,
    toolResults: calls.map((call) => ({ toolCallId: call.id, content: `ERROR: ${MULTIPLE_TOOLS_REFUSED}` })),
  };
  (state.inTurn as TurnProgress).tried.push({ responder: responder.name, outcome: 'refused' });
  commitStep(def, state, record, { kind: 'valid', message, responder }, killed);
}
