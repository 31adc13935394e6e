import type { StepSummary } from './done-sequence.js';
import type { CommittedStep } from './end-checks.js';
import { endStatus, finish } from './end-checks.js';
import type { LoopDefinition, Responder } from './loop-definition.js';
import { messageFingerprint, recordFingerprint, recordNoAnswer } from './loop-detector.js';
import type { LoopMessage } from './loop-message.js';
import { NO_ANSWER, toolNames } from './loop-message.js';
import type { CommitRecord, LoopState, StepRecord, TurnProgress } from './loop-state.js';
import type { NormalizedReply } from './reply-validity.js';

/** What ends a turn: a valid reply, a remembered DO-NOT-KNOW, a pass-through, or nothing. */
export interface Commit {
  kind: 'valid' | 'no-answer' | 'pass' | 'none';
  message?: LoopMessage;
  reply?: NormalizedReply | null;
  responder?: Responder | null;
  passTo?: string;
}

/**
 * Ends the turn in progress with `commit`: a valid reply (or a remembered
 * DO-NOT-KNOW) becomes the pending message and resets the stall count; a pass-through keeps the pending
 * message (addressed anew) and a turn without a response keeps it too, both counting as stalled; with
 * `allowNullResult` the latter commits a synthetic DO-NOT-KNOW from the other party. Then the loop
 * detection inputs are updated and the end checks run.
 */
export function commitStep(
  def: LoopDefinition,
  state: LoopState,
  record: StepRecord,
  commit: Commit,
  killed: boolean,
): void {
  const progress = state.inTurn as TurnProgress;
  const { turn } = progress;
  const previous = state.pending;
  let kind: CommitRecord['kind'] = commit.kind;
  let committed: LoopMessage | null = null;
  if ((commit.kind === 'valid' || commit.kind === 'no-answer') && commit.message) {
    committed = { ...commit.message, id: `m${turn}`, parentId: previous.id };
    append(state, committed);
    state.stalled = 0;
  } else if (commit.kind === 'pass') {
    state.stalled += 1;
    if (commit.passTo !== undefined) state.pending = { ...previous, recipient: commit.passTo };
    committed = state.pending;
  } else {
    state.stalled += 1;
    if (def.allowNullResult) {
      committed = nullResult(def, previous, turn);
      append(state, committed);
      kind = 'null-result';
    }
  }
  let fingerprint: string | null = null;
  if (committed && kind !== 'null-result') {
    fingerprint = messageFingerprint(committed);
    const { cycleLen } = state.limits;
    recordFingerprint(state.detector, fingerprint, cycleLen * def.loopDetection.waitFactor, cycleLen);
  }
  if (committed && kind !== 'pass') recordNoAnswer(state.detector, committed, turn);
  pushSummary(def, state, summary(kind, committed, commit.responder ?? null));
  state.turn = turn;
  state.inTurn = null;
  record.turn = turn;
  record.tried = progress.tried;
  record.committed = { kind, id: committed?.id ?? null, sender: committed?.sender ?? null, fingerprint };
  const step: CommittedStep = {
    kind,
    responder: commit.responder ?? null,
    reply: commit.reply ?? null,
    killed,
  };
  const status = endStatus(def, state, step);
  if (status) finish(def, state, status);
}

/**
 * Makes `message` the pending message and adds it to the conversation. It names the message it answers
 * (`parentId`); the answered message's `childId` is set when the conversation is read (conversation-log.ts).
 */
function append(state: LoopState, message: LoopMessage): void {
  state.pending = message;
  state.added.push(message);
}

/** A DO-NOT-KNOW from the party opposite the pending message's sender (the LLM answers the user). */
function nullResult(def: LoopDefinition, previous: LoopMessage, turn: number): LoopMessage {
  const fromUser = previous.entity === 'user';
  const llm = def.responders.find((responder) => responder.kind === 'llm');
  const message: LoopMessage = {
    id: `m${turn}`,
    sender: fromUser ? (llm?.name ?? 'llm') : 'user',
    entity: fromUser ? 'llm' : 'user',
    content: NO_ANSWER,
    synthetic: true,
    parentId: previous.id,
  };
  return message;
}

function summary(
  kind: CommitRecord['kind'],
  message: LoopMessage | null,
  responder: Responder | null,
): StepSummary {
  if (kind === 'none' || kind === 'null-result' || !message)
    return { entity: 'none', tools: [], content: '' };
  if (kind === 'pass') {
    const entity = responder?.kind === 'llm' ? 'llm' : responder?.kind === 'function' ? 'agent' : 'user';
    return { entity, tools: [], content: '' };
  }
  return { entity: message.entity, tools: toolNames(message), content: message.content ?? '' };
}

/** Keeps as many step summaries as the longest done sequence needs. */
function pushSummary(def: LoopDefinition, state: LoopState, step: StepSummary): void {
  const keep = Math.max(0, ...def.doneSequences.map((sequence) => sequence.tokens.length));
  if (keep === 0) return;
  state.steps.push(step);
  if (state.steps.length > keep) state.steps.splice(0, state.steps.length - keep);
}
