/**
 * Version of the planner's functions that read or write its state: bump it when the state or a decision
 * changes, so that replays of older traces run those steps again instead of misreading them.
 */
export const PLANNER_VERSION = '2';

/** Ids of the functions a planner registers, under its name ("planner" unless createPlanner was given another). */
export function plannerFunctionIds(name: string) {
  const id = (fn: string) => `patterns.${name}.${fn}`;
  return {
    start: id('start'),
    step: id('step'),
    end: id('end'),
    planPrompt: id('plan-prompt'),
    refinePrompt: id('refine-prompt'),
    checkPrompt: id('check-prompt'),
    workerPrompt: id('worker-prompt'),
    repairPrompt: id('repair-prompt'),
    readPlan: id('read-plan'),
    readRefine: id('read-refine'),
    readCheck: id('read-check'),
    refine: id('refine'),
    check: id('check'),
    confirmQuestion: id('confirm-question'),
    gate: id('gate'),
  };
}

export type PlannerFunctionIds = ReturnType<typeof plannerFunctionIds>;
