import type { LoopDefinition, Responder } from './loop-definition.js';
import { hasToolCalls } from './loop-message.js';
import type { LoopState } from './loop-state.js';

/**
 * Why `responder` may not answer the pending message, or null when it may: it sent the message
 * itself, the message is addressed to another responder, it is blocked for it, a human is asked outside
 * interactive mode without being addressed, or its own `canRespond` refuses the message.
 */
export function cannotRespond(def: LoopDefinition, state: LoopState, responder: Responder): string | null {
  const message = state.pending;
  const { name } = responder;
  if (message.sender === name && responder.answersOwnMessages !== true) return 'it sent the pending message';
  if (responder.kind === 'human' && message.sender === 'input') return 'the input comes from the user';
  if (message.recipient !== undefined && message.recipient !== name && message.recipient !== def.name) {
    return `the message is addressed to "${message.recipient}"`;
  }
  if (message.block === name) return 'the message is blocked for it';
  if (responder.kind === 'human' && !def.interactive && message.recipient !== name) {
    return 'the loop is not interactive and the message is not addressed to the human';
  }
  if (responder.canRespond && !responder.canRespond(message)) return 'its canRespond refused the message';
  return null;
}

/**
 * The order in which responders are tried in `turn`: the configured order, except that an
 * interactive loop asks its human first when the human was not asked in the previous turn and the
 * pending message is not a tool call.
 */
export function responderOrder(def: LoopDefinition, state: LoopState, turn: number): string[] {
  const names = def.responders.map((responder) => responder.name);
  const human = def.responders.find((responder) => responder.kind === 'human');
  if (!def.interactive || !human || state.humanTurn === turn - 1 || hasToolCalls(state.pending)) return names;
  return [human.name, ...names.filter((name) => name !== human.name)];
}
