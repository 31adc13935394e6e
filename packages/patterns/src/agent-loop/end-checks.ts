import type { ToolCall } from '@taskgraph/core';
import { matchesDoneSequence } from './done-sequence.js';
import { exceededLimit } from './loop-budget.js';
import type { LoopDefinition, Responder } from './loop-definition.js';
import { maybeInfiniteLoop } from './loop-detector.js';
import type { LoopMessage } from './loop-message.js';
import { DONE_TOOLS, hasToolCalls, QUIT_STRINGS, toolNames } from './loop-message.js';
import type { CommitRecord, LoopState } from './loop-state.js';
import type { LoopStatus } from './loop-status.js';
import { statusKeepsResult } from './loop-status.js';
import type { NormalizedReply } from './reply-validity.js';

/** What the step just committed, for the checks that follow it. */
export interface CommittedStep {
  kind: CommitRecord['kind'];
  responder: Responder | null;
  reply: NormalizedReply | null;
  killed: boolean;
}

/**
 * The status a loop ends with after a committed step, or null to go on. The order is fixed: kill;
 * done tools and done sequences; stalled; cost; tokens; a human's quit; the done flags (the done marker
 * in the content, doneIfResponse, a final result, a message addressed to the caller); the turn limits;
 * loop detection. Budget limits apply to every loop, interactive roots included. With
 * `onlyUserQuitsRoot`, an interactive root loop ignores done tools and done flags: its human quits it.
 */
export function endStatus(def: LoopDefinition, state: LoopState, step: CommittedStep): LoopStatus | null {
  const { limits } = state;
  const message = step.kind === 'valid' || step.kind === 'no-answer' ? state.pending : null;
  if (step.killed) return 'KILL';
  if (message && def.doneIfTool && hasToolCalls(message)) return 'DONE';
  const userQuits = onlyUserQuits(def, state);
  if (!userQuits && message && toolNames(message).some((name) => DONE_TOOLS.includes(name))) return 'DONE';
  if (def.doneSequences.some((sequence) => matchesDoneSequence(sequence, state.steps))) return 'DONE';
  if (state.stalled >= limits.maxStalledSteps) return 'STALLED';
  const over = exceededLimit(limits, state.usage);
  if (over) return over;
  if (message && step.responder?.kind === 'human' && QUIT_STRINGS.includes((message.content ?? '').trim())) {
    return 'USER_QUIT';
  }
  if (!userQuits && message && step.kind === 'valid' && doneFlag(def, state, message, step)) return 'DONE';
  // `DONE __PASS__`: done, and the result is the message passed on.
  if (!userQuits && step.kind === 'pass' && step.reply?.done) return 'DONE';
  if (limits.maxTurns !== null && state.turn >= limits.maxTurns) return 'MAX_TURNS';
  if (limits.turns !== null && state.turn >= limits.turns) return 'FIXED_TURNS';
  const detection = def.loopDetection;
  if (
    limits.cycleLen > 0 &&
    state.turn % limits.cycleLen === 0 &&
    maybeInfiniteLoop(state.detector, limits.cycleLen, detection.dominanceFactor, detection.waitFactor)
  ) {
    return 'INF_LOOP';
  }
  if (detection.noAnswerLoopCheck && state.detector.alternations > detection.noAnswerAlternations) {
    return 'INF_LOOP';
  }
  return null;
}

/** langroid's `only_user_quits_root`: in an interactive root loop with a human, only the human ends it. */
function onlyUserQuits(def: LoopDefinition, state: LoopState): boolean {
  return (
    def.onlyUserQuitsRoot &&
    def.interactive &&
    state.caller === null &&
    def.responders.some((responder) => responder.kind === 'human')
  );
}

function doneFlag(def: LoopDefinition, state: LoopState, message: LoopMessage, step: CommittedStep): boolean {
  if (step.reply?.done || message.finalResult) return true;
  if (def.doneMarker !== null && (message.content ?? '').includes(def.doneMarker)) return true;
  if (step.responder && def.doneIfResponse.includes(step.responder.name)) return true;
  return message.recipient !== undefined && message.recipient === state.caller?.loop;
}

/** Ends the loop: sets the status and the result the status calls for. */
export function finish(def: LoopDefinition, state: LoopState, status: LoopStatus): void {
  state.status = status;
  state.result = statusKeepsResult(status) ? finalMessage(def, state.pending) : null;
  state.inTurn = null;
}

/**
 * The result of a loop: the pending message with the done marker removed from its content and `done`
 * tool calls dropped (their `content` argument, if any, becomes the content). A `final_result` tool is
 * kept and marks the result as final, so that every loop above ends too.
 */
export function finalMessage(def: LoopDefinition, pending: LoopMessage): LoopMessage {
  const result: LoopMessage = { ...pending };
  const calls = pending.toolCalls ?? [];
  const done = calls.filter((call) => call.function.name === 'done');
  const kept = calls.filter((call) => call.function.name !== 'done');
  if (kept.length > 0) result.toolCalls = kept;
  else delete result.toolCalls;
  if (kept.some((call) => call.function.name === 'final_result')) result.finalResult = true;
  let content = result.content;
  if (content !== null && def.doneMarker !== null) content = content.split(def.doneMarker).join('').trim();
  if (!content && done.length > 0) content = toolContent(done[0] as ToolCall) ?? content;
  result.content = content;
  return result;
}

function toolContent(call: ToolCall): string | undefined {
  try {
    const args = JSON.parse(call.function.arguments) as { content?: unknown };
    return typeof args.content === 'string' ? args.content : undefined;
  } catch {
    return undefined;
  }
}
