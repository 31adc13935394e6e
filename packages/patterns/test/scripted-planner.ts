import type { LLMRequest } from '@taskgraph/core';
import { FunctionRegistry, promptToMessages } from '@taskgraph/core';
import { ScriptedHandler } from '@taskgraph/core/testing';
import type { PlannerOptions } from '../src/index.js';
import { createPlanner } from '../src/index.js';

type Reply = string | Record<string, unknown>;

/** What a scripted planner model answers, by the kind of call. */
export interface PlannerScript {
  /** Replies to the planning call, in order (the last one repeats). */
  plan?: Reply[];
  /** The refine reply after `task` finished. */
  refine?: (task: string) => Reply;
  check?: () => Reply;
  /** Replies to repair calls, in order. */
  repair?: Reply[];
  /** The worker's reply to `task`. */
  worker?: (task: string) => string;
}

/** The kind of planner call a request is, read from its last user message. */
export function callKind(request: LLMRequest): 'plan' | 'refine' | 'check' | 'repair' | 'worker' {
  const text = lastUser(request);
  if (text.startsWith('Write the ordered list')) return 'plan';
  if (text.startsWith('The task "')) return 'refine';
  if (text.startsWith('No task is left')) return 'check';
  if (text.startsWith('This reply should have been JSON')) return 'repair';
  return 'worker';
}

export function lastUser(request: LLMRequest): string {
  return promptToMessages(request.prompt).findLast((m) => m.role === 'user')?.content ?? '';
}

const text = (reply: Reply) => (typeof reply === 'string' ? reply : JSON.stringify(reply));

/** A handler (id "openai", the planner's default) that answers as `script` says. */
export function scriptedModel(script: PlannerScript): ScriptedHandler {
  let plans = 0;
  let repairs = 0;
  return new ScriptedHandler({
    id: 'openai',
    reply: (request) => {
      switch (callKind(request)) {
        case 'plan': {
          const replies = script.plan ?? [{ current_tasks: [] }];
          return text(replies[Math.min(plans++, replies.length - 1)] as Reply);
        }
        case 'refine': {
          const task = /^The task "(.*)" is done/.exec(lastUser(request))?.[1] ?? '';
          return text(script.refine?.(task) ?? {});
        }
        case 'check':
          return text(script.check?.() ?? { goal_complete: true });
        case 'repair': {
          const replies = script.repair ?? ['{}'];
          return text(replies[Math.min(repairs++, replies.length - 1)] as Reply);
        }
        default: {
          const task = /Your task: (.*)/.exec(lastUser(request))?.[1] ?? '';
          return script.worker?.(task) ?? `done: ${task}`;
        }
      }
    },
  });
}

/** A registry with the scripted model and a planner on it. */
export function scriptedPlanner(script: PlannerScript, options: PlannerOptions = {}) {
  const registry = new FunctionRegistry();
  const model = scriptedModel(script);
  registry.addHandler(model);
  const planner = createPlanner(registry, options);
  /** The kinds of the calls made since the last take(), in order. */
  const take = () => {
    const kinds = model.requests.map((r) => callKind(r.request));
    model.requests.length = 0;
    return kinds;
  };
  return { registry, model, planner, take };
}
