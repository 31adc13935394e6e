import type { ToolCall } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { carriedHistory } from './carried-history.js';
import { EMPTY_LOG } from './conversation-log.js';
import { remaining, tighter } from './loop-budget.js';
import type { LoopDefinition, SubLoopOptions } from './loop-definition.js';
import { emptyDetector } from './loop-detector.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopCaller, LoopLimits, LoopState } from './loop-state.js';
import { emptyUsage } from './loop-state.js';

/** The first message of a run: text, or a message with a recipient or tool calls. */
export interface LoopInputMessage {
  content: string | null;
  recipient?: string;
  toolCalls?: ToolCall[];
}

/** What a loop starts from: the message, plus a session and limits for this run. */
export interface LoopInput {
  message: string | LoopInputMessage;
  /** Kills of this session end the run (default: the loop's `session`, else its name). */
  session?: string;
  turns?: number;
  budget?: { maxTokens?: number; maxCostUsd?: number };
  /**
   * A conversation to continue (langroid's `restart: false`): the `history` of an earlier run's state.
   * Responders see it before this run's message; this run's turns, stall count and loop detection start
   * afresh, as in langroid.
   */
  history?: LoopMessage[];
}

/** The arguments of a sub-loop's first step task. */
export interface ChildArgs {
  caller: LoopCaller;
  pair: SubLoopOptions;
}

/** The state a root run starts from; `input` is a string or a LoopInput. */
export function rootState(def: LoopDefinition, input: unknown): LoopState {
  const given = typeof input === 'string' ? { message: input } : (input as LoopInput | undefined);
  const where = `AgentLoop.step: the input of loop "${def.name}"`;
  if (given === null || typeof given !== 'object' || given.message === undefined) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${where} must be a string or { message, session?, turns?, budget?, history? } (got ${JSON.stringify(input)}).`,
    );
  }
  const message = typeof given.message === 'string' ? { content: given.message } : given.message;
  const first: LoopMessage = { id: 'm0', sender: 'input', entity: 'user', content: message.content ?? null };
  if (message.recipient !== undefined) first.recipient = message.recipient;
  if (message.toolCalls?.length) first.toolCalls = message.toolCalls;
  const carried = given.history === undefined ? [] : carriedHistory(given.history, where);
  const limits: LoopLimits = {
    turns: given.turns ?? def.turns,
    maxTurns: def.maxTurns,
    maxStalledSteps: def.maxStalledSteps,
    maxTokens: tighter(def.budget.maxTokens, given.budget?.maxTokens ?? null),
    maxCostUsd: tighter(def.budget.maxCostUsd, given.budget?.maxCostUsd ?? null),
    cycleLen: def.loopDetection.cycleLen,
  };
  return initial(def, given.session ?? def.session, null, first, limits, carried);
}

/**
 * The state a sub-loop starts from: the caller's pending message as its input (from its own user),
 * the caller's session, what remains of the caller's budget, and a turn limit: the one given with the
 * sub-loop, else its own. As in langroid, the caller's own turn limit is not passed down.
 */
export function childState(
  def: LoopDefinition,
  parent: LoopState,
  args: ChildArgs,
  before?: readonly LoopMessage[],
): LoopState {
  const { pending } = parent;
  const first: LoopMessage = { id: 'm0', sender: 'input', entity: 'user', content: pending.content };
  if (pending.toolCalls?.length) first.toolCalls = pending.toolCalls;
  const { pair } = args;
  const limits: LoopLimits = {
    turns: pair.turns ?? def.turns,
    maxTurns: def.maxTurns,
    maxStalledSteps: pair.maxStalledSteps ?? def.maxStalledSteps,
    maxTokens: tighter(def.budget.maxTokens, remaining(parent.limits.maxTokens, parent.usage.totalTokens)),
    maxCostUsd: tighter(def.budget.maxCostUsd, remaining(parent.limits.maxCostUsd, parent.usage.costUsd)),
    cycleLen: pair.cycleLen ?? def.loopDetection.cycleLen,
  };
  const carried =
    before === undefined ? [] : carriedHistory(before, `AgentLoop.step: sub-loop "${def.name}"`);
  return initial(def, parent.session, args.caller, first, limits, carried);
}

function initial(
  def: LoopDefinition,
  session: string,
  caller: LoopCaller | null,
  first: LoopMessage,
  limits: LoopLimits,
  carried: LoopMessage[] = [],
): LoopState {
  return {
    loop: def.name,
    session,
    caller,
    turn: 0,
    pending: first,
    log: { ...EMPTY_LOG },
    added: [...carried, first],
    stalled: 0,
    detector: emptyDetector(),
    steps: [],
    usage: emptyUsage(),
    limits,
    humanTurn: null,
    inTurn: null,
    status: null,
    result: null,
  };
}
