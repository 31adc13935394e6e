import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { checkTraceProgram } from './check-trace-program.js';
import { TaskGraphError } from './errors.js';
import { foldJournal, journalPath } from './journal-fold.js';
import type { TaskGraph } from './task-graph.js';
import { loadTrace, saveTrace } from './trace-file.js';
import { TraceJournal } from './trace-journal.js';
import { definitionKey } from './trace-write.js';

/**
 * Opens a trace file for a run: folds a journal left by an interrupted run, takes from the file the
 * results the graph does not hold yet (so running again with the same path resumes), writes the file,
 * and opens the journal that keeps it current while the run goes on.
 */
export async function openTraceFile(
  graph: TaskGraph,
  path: string,
  onError: (error: TaskGraphError) => void,
): Promise<TraceJournal> {
  await foldJournal(path);
  if (existsSync(path)) {
    const stored = await loadTrace(path);
    checkTraceProgram(stored, graph.runInfo?.program, path);
    mergeStoredState(graph, stored);
  }
  await saveTrace(graph, path);
  try {
    return new TraceJournal(journalPath(path), onError);
  } catch (error) {
    throw new TaskGraphError(
      'TRACE_WRITE_FAILED',
      `TaskGraph.run: cannot open the journal of "${path}" (${(error as Error).message}).`,
      { cause: error },
    );
  }
}

/** Writes the final trace atomically and removes the journal. */
export async function closeTraceFile(graph: TaskGraph, path: string, journal: TraceJournal): Promise<void> {
  journal.close();
  await saveTrace(graph, path);
  await rm(journal.path, { force: true });
}

/**
 * Copies stored results into tasks of `graph` that have none and the same definition, and adds the
 * stored tasks created while running whose creator is in the graph. Fingerprints decide at run time
 * whether each result is still valid.
 */
export function mergeStoredState(graph: TaskGraph, stored: TaskGraph): void {
  if (!graph.inputSlot && stored.inputSlot) graph.inputSlot = stored.inputSlot;
  for (const storedTask of [...stored.tasks()]) {
    const task = graph.task(storedTask.id);
    if (task) {
      if (definitionKey(task) !== definitionKey(storedTask)) continue;
      task.adoptState(storedTask);
      if (task.kind === 'graph' && storedTask.kind === 'graph')
        mergeStoredState(task.graph, storedTask.graph);
    } else if (storedTask.createdBy !== undefined && graph.task(storedTask.createdBy)) {
      if (storedTask.dependencyIds.every((id) => graph.task(id))) {
        stored.remove(storedTask.id);
        graph.add(storedTask, 'openTraceFile');
      }
    }
  }
}
