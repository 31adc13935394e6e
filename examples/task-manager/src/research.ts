import type { LLMHandler } from '@taskgraph/core';
import { FunctionRegistry } from '@taskgraph/core';
import type { PlannerInput } from '@taskgraph/patterns';
import { createPlanner } from '@taskgraph/patterns';
import { searchNotes } from './notes.js';

export const GOAL =
  'Write a short brief on the three largest lakes of Africa: their area and the countries on their shores.';

/** A registry holding `handler` as the "openai" handler and a planner whose tasks may search the notes. */
export function buildPlanner(handler: LLMHandler, onComplete?: (goal: string) => void) {
  const registry = new FunctionRegistry().addHandler(handler);
  const planner = createPlanner(registry, {
    tools: [searchNotes],
    ...(onComplete ? { onComplete: (goal) => onComplete(goal) } : {}),
  });
  return { registry, planner };
}

/** The planner's input: the goal, the bounds, and the models (none named offline: the handler's default). */
export function researchInput(model?: string): PlannerInput {
  const models = model ? { planner: { model }, worker: { model } } : {};
  return { id: 'research', goal: GOAL, maxTasks: 10, maxSteps: 30, models };
}
