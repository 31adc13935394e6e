import type { TaskContext } from '@taskgraph/core';
import type { AdvanceInput } from './advance.js';
import { advanceLoop } from './advance.js';
import { conversationOf } from './conversation-log.js';
import { errorSummary } from './error-summary.js';
import { InfiniteLoopError } from './errors.js';
import type { LoopDefinition, Responder } from './loop-definition.js';
import type { ResponderOutput } from './loop-message.js';
import type { ChildArgs } from './loop-start.js';
import { childState, rootState } from './loop-start.js';
import type { LoopNodeOutput, LoopState } from './loop-state.js';
import { statusKeepsResult } from './loop-status.js';
import { createAttempt, createReask, returnToCaller } from './loop-tasks.js';
import { asksPerson } from './responders.js';
import { extractTyped } from './return-type.js';
import type { AttemptOutput } from './take-reply.js';

type StepArgs = { start: true } | { child: ChildArgs } | { turn: number; after?: string; via?: string };

/**
 * The function every step task of a loop runs: build the state it starts from (the loop's input, the
 * caller's state for a sub-loop, or the previous step's output), ask the kill store, run the state machine
 * (advance.ts), then create the tasks it asks for. Its output, the new state and a record of the step,
 * is all that the next step reads.
 */
export function stepFunction(def: LoopDefinition) {
  return async (ctx: TaskContext, ...deps: unknown[]): Promise<LoopNodeOutput> => {
    const args = ctx.args as StepArgs | undefined;
    let previous: LoopState;
    let attempt: AdvanceInput['attempt'] = null;
    const start = !(args && 'turn' in args);
    if (args && 'child' in args) {
      const before = (deps[1] as LoopNodeOutput | undefined)?.state;
      const carried = before && conversationOf(before.log, before.added, `AgentLoop.step (${ctx.taskId})`);
      previous = childState(def, (deps[0] as LoopNodeOutput).state, args.child, carried);
    } else if (args && 'turn' in args) {
      previous = (deps[0] as LoopNodeOutput).state;
      if (args.after !== undefined) {
        attempt = { responder: args.after, output: attemptOutput(def, args.after, deps[1], args.via ?? '') };
      }
    } else previous = rootState(def, deps.length > 0 ? deps[0] : ctx.input);
    const killed = await def.killStore.isKilled(previous.session);
    const gate = previous.caller === null ? def.gates.get(previous.session) : undefined;
    const { output, action } = advanceLoop(def, previous, {
      attempt,
      killed,
      gate,
      taskPath: ctx.taskPath,
      start,
    });
    const { state } = output;
    if (action) createAttempt(ctx, def, action);
    else if (state.status !== null) {
      if (def.returnType && statusKeepsResult(state.status)) {
        const value = extractTyped(state.result, def.returnType);
        if (value !== null) state.value = value;
        else createReask(ctx, def);
      }
      if (state.caller) returnToCaller(ctx, state.caller);
    }
    if (state.status === 'INF_LOOP' && def.onInfiniteLoop === 'throw') {
      throw new InfiniteLoopError({ loop: def.name, turn: state.turn, taskPath: ctx.taskPath });
    }
    return output;
  };
}

/** The reply of the attempt task in one shape, whatever the responder's kind. */
function attemptOutput(def: LoopDefinition, name: string, raw: unknown, via: string): AttemptOutput {
  const responder = def.byName.get(name) as Responder | undefined;
  if (responder?.kind === 'loop') {
    return {
      kind: 'loop',
      child: (raw as LoopNodeOutput).state,
      via,
    };
  }
  // A person's answer, checked against HUMAN_REPLY_SCHEMA by the human task.
  if (responder?.kind === 'human' && asksPerson(responder))
    return { kind: 'reply', reply: raw as string | null };
  if (responder?.kind === 'graph') {
    try {
      return { kind: 'reply', reply: responder.output ? responder.output(raw) : graphReply(raw) };
    } catch (error) {
      return { kind: 'error', error: errorSummary(error) };
    }
  }
  return raw as AttemptOutput;
}

function graphReply(value: unknown): ResponderOutput {
  if (value === null || value === undefined || typeof value === 'string') return value;
  if (typeof value === 'object' && 'content' in value) return value as ResponderOutput;
  return JSON.stringify(value);
}
