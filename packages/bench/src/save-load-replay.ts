import { stat } from 'node:fs/promises';
import type { TaskGraph } from '@taskgraph/core';
import { loadTrace, saveTrace } from '@taskgraph/core';
import { now } from './engine.js';

/**
 * Times what follows a run of a long-run case: saving its trace to `path`, loading the file, and
 * `replay` running the loaded graph. Returns the times in ms, the file's bytes and the loaded graph.
 */
export async function saveLoadReplay(
  graph: TaskGraph,
  path: string,
  replay: (loaded: TaskGraph) => Promise<unknown>,
) {
  const saveStart = now();
  await saveTrace(graph, path);
  const saveMs = now() - saveStart;
  const traceBytes = (await stat(path)).size;
  const loadStart = now();
  const loaded = await loadTrace(path);
  const loadMs = now() - loadStart;
  const replayStart = now();
  await replay(loaded);
  const replayMs = now() - replayStart;
  return { saveMs, traceBytes, loadMs, replayMs, loaded };
}
