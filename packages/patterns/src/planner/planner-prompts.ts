import type { ChatMessage, JsonValue } from '@taskgraph/core';
import type { ReplyKind } from './planner-schemas.js';
import { REPLY_EXAMPLES } from './planner-schemas.js';
import type { PlannerSettings } from './planner-settings.js';
import type { PlannerState } from './planner-state.js';
import type { WorkerContext } from './worker-context.js';

const json = (value: unknown) => JSON.stringify(value);

/** The preamble of every planner call: the role, the tools, the goal and the state so far. */
function base(settings: PlannerSettings, state: PlannerState): ChatMessage {
  const tools =
    settings.tools.length === 0
      ? '(none: every task is done by a worker model)'
      : settings.tools
          .map((tool) => `name: ${tool.name}\ndescription: ${tool.description}`)
          .join('\n-----\n');
  const workers = settings.workers
    ?.map((w) => `name: ${w.name}\ndescription: ${w.description}`)
    .join('\n-----\n');
  return {
    role: 'system',
    content: [
      'You are a task management system. You create, reformulate and refine a list of tasks that reach a final goal.',
      'The goal never changes. Keep in stored_info the facts later tasks need, and grow final_result with what the goal asks for.',
      'A task is a string done by a worker model, or {"task": "...", "tool": "<tool name>", "input": {...}} to run a tool.',
      ...(workers
        ? ['A task may also be {"task": "...", "worker": "<worker name>"} to give it to one of the workers.']
        : []),
      'Reply with JSON only.',
      `\nTools:\n${tools}`,
      ...(workers ? [`\nWorkers:\n${workers}`] : []),
      `\nFinal goal: ${settings.goal}`,
      `current_tasks: ${json(state.pending.map((t) => t.task))}`,
      `stored_info: ${json(state.storedInfo)}`,
      `final_result: ${json(state.finalResult)}`,
    ].join('\n'),
  };
}

export function planPrompt(settings: PlannerSettings, state: PlannerState): ChatMessage[] {
  return [
    base(settings, state),
    {
      role: 'user',
      content:
        'Write the ordered list of tasks that reaches the goal; end with a task that presents the results. ' +
        `Reply with JSON like ${json(REPLY_EXAMPLES.plan)}.`,
    },
  ];
}

export function refinePrompt(
  settings: PlannerSettings,
  state: PlannerState,
  task: string,
  result: string,
): ChatMessage[] {
  return [
    base(settings, state),
    {
      role: 'user',
      content: [
        `The task "${task}" is done. Its result:\n${result}`,
        'Reflect on it. Reply with JSON with these keys: current_tasks (the complete new list of remaining tasks:',
        'add, drop or reorder; drop tasks the info gathered already satisfies), stored_info (facts later tasks need),',
        'final_result (parts of the answer to the goal), thoughts (optional), goal_complete (true once the goal is met).',
        `Example: ${json(REPLY_EXAMPLES.refine)}`,
      ].join('\n'),
    },
  ];
}

export function checkPrompt(settings: PlannerSettings, state: PlannerState): ChatMessage[] {
  return [
    base(settings, state),
    {
      role: 'user',
      content:
        'No task is left. Is the final goal complete? If not, list the tasks still needed. ' +
        `Reply with JSON with goal_complete, final_result (additions) and current_tasks, like ${json(REPLY_EXAMPLES.check)}.`,
    },
  ];
}

export function workerPrompt(context: WorkerContext): ChatMessage[] {
  return [
    {
      role: 'system',
      content: `You work on one task toward a final goal. Final goal: ${context.goal}\nTasks after yours: ${json(context.remainingTasks)}\nInfo so far: ${json(context.info)}`,
    },
    { role: 'user', content: `Your task: ${context.currentTask}\nDo it and reply with its result.` },
  ];
}

/** The seed's FIX_JSON_PROMPT: the bad text, the error, and an example of a good reply. */
export function repairPrompt(kind: ReplyKind, badText: string, error: string): ChatMessage[] {
  return [
    {
      role: 'user',
      content: [
        'This reply should have been JSON but could not be used:',
        badText,
        `Error: ${error}`,
        `Reply with the corrected JSON only, shaped like this example: ${json(REPLY_EXAMPLES[kind] as JsonValue)}`,
      ].join('\n'),
    },
  ];
}
