import { TaskGraph } from '@taskgraph/core';
import { downstreamCone } from './downstream-cone.js';
import { now } from './engine.js';
import { benchRegistry, graphOutputs, runOptions, taskId } from './engine-ours.js';
import { medians, repeat } from './measure.js';
import { editOutput } from './trace-bench.js';
import type { Workload } from './workload.js';
import { checkOutputs, checksumOf, expectedOutputs } from './workload.js';

/**
 * W7: edits the output of node `index` (default: the middle one) in the trace text, loads and replays it.
 * The tasks whose function ran must be exactly the downstream cone of the edit, computed from the
 * workload's deps alone, and the outputs those of the workload with that one output pinned.
 */
export async function measureEdit(
  workload: Workload,
  text: string,
  options: { runs: number; index?: number },
) {
  const index = options.index ?? Math.floor(workload.n / 2);
  const cone = new Set([...downstreamCone(workload.deps, index)].map(taskId));
  let reexecuted = 0;
  let exact = true;
  const samples = await repeat(
    async () => {
      const { document, value } = editOutput(text, index);
      const called = new Set<string>();
      const registry = benchRegistry((id) => called.add(id));
      const start = now();
      const graph = TaskGraph.fromJSON(document);
      const loaded = now();
      await graph.run(registry, runOptions());
      const ran = now();
      const expected = expectedOutputs(workload.deps, new Map([[index, value]]));
      const stats = {
        ...workload.stats,
        checksum: checksumOf(expected),
        lastOutput: expected[workload.n - 1] ?? 0,
      };
      checkOutputs(
        'ours (edited replay)',
        { name: `${workload.name} edited`, n: workload.n, stats },
        graphOutputs(graph, workload.n),
      );
      reexecuted = called.size;
      exact = exact && called.size === cone.size && [...called].every((id) => cone.has(id));
      return { loadMs: loaded - start, runMs: ran - loaded, replayMs: ran - start };
    },
    { runs: options.runs },
  );
  return { runs: samples.length, ...medians(samples), index, reexecuted, coneSize: cone.size, exact };
}
