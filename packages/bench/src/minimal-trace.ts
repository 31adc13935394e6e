import { taskId } from './engine-ours.js';

/** The smallest trace of a finished graph: `{ tasks: [{ id, deps, output }] }` as compact JSON. */
export function minimalTraceText(deps: readonly (readonly number[])[], outputs: ArrayLike<number>): string {
  const tasks = deps.map((list, i) => ({ id: taskId(i), deps: list.map(taskId), output: outputs[i] }));
  return JSON.stringify({ tasks });
}
