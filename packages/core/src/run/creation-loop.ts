import { canonicalJson } from '../memo/hash.js';
import { LimitExceededError } from '../model/errors.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { definitionKey } from '../trace/trace-write.js';

/**
 * What makes two created tasks the same work: their definition without id and creator, with each
 * dependency that is done replaced by the hash of its output (so the same function on the same values
 * matches, whatever the ids).
 */
function workSignature(graph: TaskGraphBase, task: Task): string {
  const definition = JSON.parse(definitionKey(task)) as Record<string, unknown>;
  delete definition.id;
  delete definition.createdBy;
  const value = (id: string) => graph.task(id)?.output?.hash ?? `id:${id}`;
  definition.deps = task.deps.map(value);
  definition.namedDeps = Object.fromEntries(
    Object.entries(task.namedDeps).map(([name, id]) => [name, value(id)]),
  );
  return canonicalJson(definition);
}

/**
 * Throws LIMIT_EXCEEDED when `task`, created by `creator`, would do the same work as `creator` or one of
 * its creation ancestors: a task that keeps creating itself would otherwise run until maxTasks.
 */
export function checkCreationLoop(
  graph: TaskGraphBase,
  creator: Task,
  task: Task,
  taskPath: readonly string[],
): void {
  const signature = workSignature(graph, task);
  for (
    let ancestor: Task | undefined = creator;
    ancestor;
    ancestor = ancestor.createdBy === undefined ? undefined : graph.task(ancestor.createdBy)
  ) {
    if (workSignature(graph, ancestor) === signature) {
      throw new LimitExceededError({
        limit: 'creationLoop',
        message: `TaskGraph.run: task "${creator.id}" created "${task.id}", which would repeat the work of "${ancestor.id}" (same function, same inputs): a creation loop. Give each created task different inputs or args.`,
        taskPath,
      });
    }
  }
}
