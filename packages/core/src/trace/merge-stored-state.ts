import type { TaskGraphBase } from '../model/task-graph-base.js';
import { definitionKey } from './trace-write.js';

/**
 * Copies stored results into tasks of `graph` that have none and the same definition, and adds the
 * stored tasks created while running whose creator is in the graph. Fingerprints decide at run time
 * whether each result is still valid. This is how a run resumes from its trace.
 */
export function mergeStoredState(graph: TaskGraphBase, stored: TaskGraphBase): void {
  if (!graph.inputSlot && stored.inputSlot) graph.inputSlot = stored.inputSlot;
  for (const storedTask of [...stored.tasks()]) {
    const task = graph.task(storedTask.id);
    if (task) {
      if (definitionKey(task) !== definitionKey(storedTask)) continue;
      task.adoptState(storedTask);
      const nested = task.descriptor.nested?.graph(task);
      const storedNested = storedTask.descriptor.nested?.graph(storedTask);
      if (nested && storedNested) mergeStoredState(nested, storedNested);
    } else if (storedTask.createdBy !== undefined && graph.task(storedTask.createdBy)) {
      if (storedTask.dependencyIds.every((id) => graph.task(id))) {
        stored.remove(storedTask.id);
        graph.add(storedTask, 'TaskGraph.run');
      }
    }
  }
}
