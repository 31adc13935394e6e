import { BudgetExceededError, TaskGraphError } from '@taskgraph/core';
import { commitStep } from './commit-step.js';
import { finish } from './end-checks.js';
import { addUsage, exceededLimit } from './loop-budget.js';
import type { LoopDefinition, Responder } from './loop-definition.js';
import type { LoopMessage, ResponderOutput } from './loop-message.js';
import { PASS_MARKER } from './loop-message.js';
import type { LoopState, LoopUsage, StepRecord } from './loop-state.js';
import type { LoopReplyKind, NormalizedReply } from './reply-validity.js';
import { normalizeReply, replyMessage, standardKind } from './reply-validity.js';

/** What an attempt task produced, in one shape for every kind of responder. */
export type AttemptOutput =
  | { kind: 'reply'; reply: ResponderOutput; usage?: LoopUsage }
  | { kind: 'error'; error: { name: string; message: string; code?: string } }
  | { kind: 'loop'; child: LoopState; via: string };

/** Takes the reply of the responder in flight: commits it when valid, else goes on. */
export function takeReply(
  def: LoopDefinition,
  state: LoopState,
  record: StepRecord,
  input: { responder: string; output: AttemptOutput; killed: boolean; taskPath: readonly string[] },
): void {
  const { responder: name, output } = input;
  const progress = state.inTurn;
  const responder = def.byName.get(name);
  if (!progress || progress.inFlight !== name || !responder) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `AgentLoop.step: step task "${input.taskPath.join(' > ')}" of loop "${def.name}" takes the reply of "${name}", which the state before it has not asked. Edit a step output only together with the tasks after it, or remove them.`,
      { taskPath: input.taskPath },
    );
  }
  progress.inFlight = null;
  if (output.kind === 'error') {
    progress.tried.push({ responder: name, outcome: 'error', reason: output.error.message });
    finish(def, state, 'ERROR');
    state.error = output.error;
    state.turn = progress.turn;
    return;
  }
  const { reply, message } = readReply(def, state, record, responder, output, input.taskPath);
  let kind: LoopReplyKind = standardKind(reply);
  if (def.classify && message) kind = def.classify(message, kind);
  const endsLoop = endsOnReply(def, name, kind, reply);
  if (kind === 'valid' || kind === 'pass' || endsLoop) {
    progress.tried.push(
      endsLoop ? { responder: name, outcome: 'done', reason: endsLoop } : { responder: name, outcome: kind },
    );
    if (endsLoop && reply) {
      reply.done = true;
      // A bare `__PASS__` passes the pending message on (langroid: `PASS in content`); other empty text is kept.
      if ((reply.content ?? '').trim() === PASS_MARKER) reply.pass = true;
      else if (message && message.content === null) message.content = '';
    }
    const commit = {
      kind: kind === 'pass' || reply?.pass ? ('pass' as const) : ('valid' as const),
      reply,
      responder,
      ...(message ? { message } : {}),
    };
    commitStep(
      def,
      state,
      record,
      reply?.passTo === undefined ? commit : { ...commit, passTo: reply.passTo },
      input.killed,
    );
    return;
  }
  if (kind === 'invalid' && def.doneIfNoResponse.includes(name)) {
    // No reply at all (null): langroid ends the loop with the pending message as the result.
    progress.tried.push({ responder: name, outcome: 'done', reason: 'doneIfNoResponse' });
    state.turn = progress.turn;
    finish(def, state, 'DONE');
    return;
  }
  progress.tried.push({ responder: name, outcome: kind });
  if (kind === 'no-answer' && message) progress.noAnswer ??= message;
  const over = exceededLimit(state.limits, state.usage);
  if (over) finish(def, state, over);
}

/**
 * langroid counts a reply that would end the loop as valid (`Task.valid`): a DO-NOT-KNOW from a
 * `doneIfResponse` responder (it is not empty), or an empty reply (not null) from a `doneIfNoResponse`
 * one, which is then kept as the result. Returns why, or null.
 */
function endsOnReply(
  def: LoopDefinition,
  name: string,
  kind: LoopReplyKind,
  reply: NormalizedReply | null,
): string | null {
  if (kind === 'no-answer' && def.doneIfResponse.includes(name)) return 'doneIfResponse';
  if (kind === 'invalid' && reply !== null && def.doneIfNoResponse.includes(name)) return 'doneIfNoResponse';
  return null;
}

/** The reply as a message; adds the attempt's usage to the loop's. */
function readReply(
  def: LoopDefinition,
  state: LoopState,
  record: StepRecord,
  responder: Responder,
  output: Exclude<AttemptOutput, { kind: 'error' }>,
  taskPath: readonly string[],
): { reply: NormalizedReply | null; message: LoopMessage | null } {
  if (output.kind === 'loop') {
    const { child, via } = output;
    addUsage(state.usage, child.usage);
    state.subRuns = { ...state.subRuns, [responder.name]: via };
    const result = child.result;
    const reply =
      result &&
      normalizeReply(
        { ...result, toolResults: result.toolResults ?? [] },
        { signals: false, doneMarker: null, addressing: false },
      );
    if (!reply || !result) return { reply: null, message: null };
    const message = { ...replyMessage(reply, responder.name, 'user'), senderName: child.loop, via };
    if (child.status) message.status = child.status;
    return { reply, message };
  }
  if (output.usage) {
    addUsage(state.usage, output.usage);
    if (output.usage.unknownCostCalls > 0 && state.limits.maxCostUsd !== null) {
      const problem = `the cost of the LLM call of responder "${responder.name}" is unknown (no price for its model)`;
      if (def.budget.onUnknownCost === 'fail') {
        throw new BudgetExceededError({
          limit: 'unknownCost',
          message: `AgentLoop.step: loop "${def.name}", task "${taskPath.join(' > ')}": ${problem}, so maxCostUsd cannot be kept. Give the handler a price for the model, or set budget.onUnknownCost to "ignore".`,
          taskPath,
        });
      }
      record.warnings.push(`${problem}: counted as $0.`);
    }
  }
  const reply = normalizeReply(output.reply, {
    signals: def.recognizeStringSignals,
    doneMarker: def.doneMarker,
    addressing: responder.kind === 'llm' && responder.recognizeRecipientInContent,
    prefix: def.addressingPrefix,
  });
  const entity = responder.kind === 'llm' ? 'llm' : responder.kind === 'function' ? 'agent' : 'user';
  return { reply, message: reply && replyMessage(reply, responder.name, entity) };
}
