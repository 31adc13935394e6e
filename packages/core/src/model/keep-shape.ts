import type { TaskDefinition } from './task.js';

/**
 * Objects kept for the life of the process so that V8 never frees their hidden classes.
 *
 * A class's instances get their hidden class ("map") by transitions from the constructor's initial map,
 * and V8 holds those transitions weakly: when no instance is left, a full garbage collection frees the
 * maps and throws away all optimized code that relied on them. Between two runs no run node, call or
 * context is alive, so after every major collection the next run would start again in the interpreter
 * (in the bench, 2–4x slower per task on a 1,000-task chain). One instance of each class made per task
 * and run, kept here, keeps its map and the optimized code alive. The instance holds no run's data.
 */
const kept: object[] = [];

/** Keeps `instance` (a template of its class's shape) alive for the life of the process; returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}

/** What a kept instance holds where its class expects run data. */
export const SHAPE_PLACEHOLDER: object = Object.freeze({});

/** The definition of a kept task. */
export const SHAPE_DEFINITION: TaskDefinition = {
  id: '',
  deps: [],
  namedDeps: {},
  createdBy: undefined,
  args: undefined,
  schema: undefined,
  schemaJson: undefined,
};
