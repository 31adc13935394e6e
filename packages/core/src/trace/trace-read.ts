import type { TaskGraphBase } from '../model/task-graph-base.js';
import { documentHead, TraceLoader } from './trace-loader.js';

export { jsonPath, readTaskRecord } from './read-task.js';

/**
 * Validates a trace document (format version 1 or 2) and rebuilds the graph with its state into `into`
 * (an empty graph; nested graphs are made with its `createEmpty`). Errors name the JSON path.
 */
export function readTrace<G extends TaskGraphBase>(document: unknown, into?: G): G {
  const loader = new TraceLoader<G>(documentHead(document), into);
  const tasks = (document as { graph: { tasks: unknown[] } }).graph.tasks;
  for (let i = 0; i < tasks.length; i++) loader.add(tasks[i], i);
  return loader.finish();
}
