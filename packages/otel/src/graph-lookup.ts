import type { AnyTask, TaskGraphBase } from '@taskgraph/core';
import { stageFingerprint } from '@taskgraph/core/internal';

/** The task at `taskPath` and the graph that holds it, or undefined when there is none. */
export function lookupTask(
  root: TaskGraphBase,
  taskPath: readonly string[],
): { graph: TaskGraphBase; task: AnyTask } | undefined {
  let graph = root;
  for (let i = 0; i < taskPath.length; i++) {
    const task = graph.task(taskPath[i] as string);
    if (!task) return undefined;
    if (i === taskPath.length - 1) return { graph, task };
    const nested = task.descriptor.nested?.graph(task);
    if (!nested) return undefined;
    graph = nested;
  }
  return undefined;
}

/**
 * The fingerprints of a task's stored stages: the recorded one of a reused stage, and for a stage
 * computed in this run the one a save would record, from the values the graph holds now.
 */
export function taskFingerprints(graph: TaskGraphBase, task: AnyTask): Record<string, string> {
  const fingerprints: Record<string, string> = {};
  for (const def of task.descriptor.stages) {
    const recorded = task.fingerprints[def.stage];
    if (recorded !== undefined) fingerprints[def.stage] = recorded;
    else if (def.get(task) !== undefined) {
      fingerprints[def.stage] = stageFingerprint(graph, task, def.stage, task.versions[def.stage]);
    }
  }
  return fingerprints;
}
