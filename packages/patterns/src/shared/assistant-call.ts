import type { JsonValue, TaskContext, TaskSpec } from '@taskgraph/core';
import type { AssistantInput, AssistantRef } from './assistant.js';

/**
 * What runs once an assistant has its result: task specs (JSON, function ids as strings), or further
 * assistant calls. A dependency written `resultOf(id)` becomes the id of the task whose output is the
 * result of the call `id`, once that task exists.
 */
export type Continuation = { spec: TaskSpec } | { call: AssistantCall };

/** One piece of work for an assistant, and what follows it. */
export interface AssistantCall {
  assistant: AssistantRef;
  /** Local id of the call's first task; also the key of its result (see resultOf). */
  id: string;
  input: AssistantInput;
  next: Continuation[];
}

/** Function ids of the tasks that carry assistant calls. */
export const ASSISTANT_FUNCTIONS = {
  question: 'patterns.assistant.question',
  agentStart: 'patterns.agent.start',
  agentPrompt: 'patterns.agent.prompt',
  agentRead: 'patterns.agent.read',
  agentAct: 'patterns.agent.act',
  agentAnswer: 'patterns.agent.answer',
} as const;

/** Stands for the id of the task holding the result of the call `id`, in a continuation. */
export const resultOf = (id: string) => `$result:${id}`;

/**
 * Starts a call: adds the task that does the work (a function task, a human task, or an agent's first
 * turn). For a function or external assistant, the continuation is added at once, depending on that
 * task; an agent adds it from its last turn.
 */
export function startAssistant(ctx: TaskContext, call: AssistantCall): void {
  const { assistant, id, input } = call;
  switch (assistant.kind) {
    case 'function': {
      const task = ctx.addFunction({ id, fn: assistant.fn, args: { input } as unknown as JsonValue });
      continueWith(ctx, call.next, id, task.id);
      return;
    }
    case 'external': {
      const task = ctx.addHuman({
        id,
        question: ASSISTANT_FUNCTIONS.question,
        args: { assistant: assistant.name, input } as unknown as JsonValue,
      });
      continueWith(ctx, call.next, id, task.id);
      return;
    }
    case 'agent':
      ctx.addFunction({
        id,
        fn: ASSISTANT_FUNCTIONS.agentStart,
        args: { key: id, settings: assistant.settings, input, next: call.next } as unknown as JsonValue,
      });
  }
}

/** Stands for the id of the task a spec before it in the same continuation adds as `id`. */
export const taskOf = (id: string) => `$task:${id}`;

/**
 * Adds a continuation, with `resultOf(key)` replaced by `resultTask` wherever it appears, and each
 * `taskOf(id)` by the id of the task an earlier spec of it added.
 */
export function continueWith(ctx: TaskContext, then: Continuation[], key: string, resultTask: string): void {
  addContinuation(ctx, then, new Map([[resultOf(key), resultTask]]));
}

/** Adds a continuation whose markers `ids` maps to task ids (`taskOf` markers are added as it goes). */
export function addContinuation(
  ctx: TaskContext,
  then: Continuation[],
  ids: Map<string, string> = new Map(),
): void {
  for (const item of then) {
    const next = replaceIds(item, ids) as Continuation;
    if ('spec' in next) {
      const local = next.spec.id;
      const added = ctx.addTask(next.spec);
      if (local !== undefined) ids.set(taskOf(local), added.id);
    } else startAssistant(ctx, next.call);
  }
}

function replaceIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => replaceIds(item, ids));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIds(v, ids)]));
  }
  return value;
}
