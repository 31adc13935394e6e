import type { JsonValue, TaskContext, TaskGraph, TaskRef } from '@taskgraph/core';
import type { LoopAction } from './advance.js';
import {
  meteredHandlerId,
  REPLY_PARSER_ID,
  reaskPromptId,
  responderFunctionId,
  stepFunctionId,
} from './function-ids.js';
import type { LoopDefinition } from './loop-definition.js';
import type { LoopCaller, LoopNodeOutput } from './loop-state.js';
import { HUMAN_REPLY_SCHEMA } from './responder-functions.js';
import { asksPerson } from './responders.js';

/**
 * Adds a loop's first step task to a graph. Its input is the output of its one dependency when given,
 * else the graph input: a message (string) or a LoopInput. Its id defaults to the loop's name.
 */
export function addLoopTask(
  graph: TaskGraph,
  def: LoopDefinition,
  options: { id?: string; deps?: [TaskRef | string] } = {},
): TaskRef<LoopNodeOutput> {
  return graph.addFunction({
    id: options.id ?? def.name,
    fn: stepFunctionId(def.name),
    args: { start: true },
    ...(options.deps ? { deps: options.deps } : {}),
  }) as TaskRef<LoopNodeOutput>;
}

/**
 * Creates the tasks of an action: the attempt (an LLM task, a function task, a nested graph, or the first
 * step task of a sub-loop) and the step task that takes its reply. A sub-loop's last step task creates
 * that step task itself, when the sub-loop ends (see returnToCaller).
 */
export function createAttempt(ctx: TaskContext, def: LoopDefinition, action: LoopAction): void {
  const self = ctx.taskId;
  if (action.kind === 'continue') {
    ctx.addFunction({
      id: action.nodeId,
      fn: stepFunctionId(def.name),
      deps: [self],
      args: { turn: action.turn },
    });
    return;
  }
  const { responder, attemptId, nodeId, turn } = action;
  const args = { turn, after: responder.name };
  const next = (attempt: TaskRef) =>
    ctx.addFunction({ id: nodeId, fn: stepFunctionId(def.name), deps: [self, attempt], args });
  const fn = responderFunctionId(def.name, responder.name);
  switch (responder.kind) {
    case 'llm':
      next(
        ctx.addLLM({
          id: attemptId,
          prompt: fn,
          parser: REPLY_PARSER_ID,
          handler: meteredHandlerId(responder.handler),
          params: responder.params,
          deps: [self],
        }),
      );
      return;
    case 'human':
      if (asksPerson(responder)) {
        next(
          ctx.addHuman({
            id: attemptId,
            question: fn,
            deps: [self],
            parser: HUMAN_REPLY_SCHEMA,
            ...(responder.defaultAnswer === undefined ? {} : { default: responder.defaultAnswer }),
            ...(responder.deadlineMs === undefined ? {} : { deadlineMs: responder.deadlineMs }),
          }),
        );
      } else next(ctx.addFunction({ id: attemptId, fn, deps: [self] }));
      return;
    case 'function':
      next(ctx.addFunction({ id: attemptId, fn, deps: [self] }));
      return;
    case 'graph':
      next(ctx.addGraph({ id: attemptId, graph: responder.graph, input: fn, deps: [self] }));
      return;
    case 'loop': {
      const caller = { loop: def.name, node: self, responder: responder.name, turn, nextNode: nodeId };
      const pair = JSON.parse(JSON.stringify(responder.pair)) as JsonValue;
      ctx.addFunction({
        id: attemptId,
        fn: stepFunctionId(responder.loop.definition.name),
        // A sub-loop that continues its previous run reads that run's final state too.
        deps: (action.continues === undefined ? [self] : [self, action.continues]) as string[],
        args: { child: { caller: caller satisfies LoopCaller, pair } },
      });
      return;
    }
  }
}

/** A sub-loop's last step task hands its result to the caller's next step task, which it creates. */
export function returnToCaller(ctx: TaskContext, caller: LoopCaller): void {
  ctx.addFunction({
    id: caller.nextNode,
    fn: stepFunctionId(caller.loop),
    deps: [caller.node, ctx.taskId],
    // `via`: the sub-loop's last step task, whose state the caller's step reads.
    args: { turn: caller.turn, after: caller.responder, via: ctx.taskId },
  });
}

/** Re-ask: one LLM call that turns the result into the return type, memoized in the trace. */
export function createReask(ctx: TaskContext, def: LoopDefinition): void {
  if (!def.reask || !def.returnType) return;
  ctx.addLLM({
    id: 'result',
    prompt: reaskPromptId(def.name),
    parser: def.returnType,
    handler: def.reask.handler,
    params: def.reask.params,
    deps: [ctx.taskId],
  });
}
