import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Every node computes `(sum of its dependencies' outputs + 1) mod MODULUS`. */
export const MODULUS = 1_000_003;

/** What a workload file says about its graph; the W4 file adds the latency figures. */
export interface WorkloadStats {
  edges: number;
  maxDeps: number;
  depthLevels: number;
  maxLevelWidth: number;
  /** Sum of all outputs mod MODULUS. */
  checksum: number;
  /** Output of the last node. */
  lastOutput: number;
  criticalPathMs?: number;
  totalWorkMs?: number;
  superstepBoundMs?: number;
  limit8LowerBoundMs?: number;
}

/**
 * A benchmark graph: `deps[i]` lists the nodes node i depends on, all smaller than i, so index order is
 * a topological order. `latencyMs[i]` (W4, W5) is how long node i sleeps.
 */
export interface Workload {
  name: string;
  seed: number | null;
  n: number;
  deps: number[][];
  latencyMs?: number[];
  stats: WorkloadStats;
}

/** The folder of the workload files copied from shared/workloads. */
export const WORKLOAD_DIR = fileURLToPath(new URL('../workloads/', import.meta.url));

/** Reads a workload file of `workloads/` by name (`w3_random_10000`), checking its shape. */
export function readWorkload(name: string): Workload {
  const text = readFileSync(`${WORKLOAD_DIR}${name}.json`, 'utf8');
  const data = JSON.parse(text) as Workload;
  if (!Array.isArray(data.deps) || data.deps.length !== data.n) {
    throw new Error(`readWorkload: "${name}" has ${data.deps?.length} deps lists for n = ${data.n}.`);
  }
  data.deps.forEach((deps, i) => {
    for (const dep of deps) {
      if (!Number.isInteger(dep) || dep < 0 || dep >= i) {
        throw new Error(`readWorkload: "${name}" node ${i} depends on ${dep}, which is not an earlier node.`);
      }
    }
  });
  return data;
}

/** The outputs every engine must produce, computed in index order; `fixed` pins some outputs (an edit). */
export function expectedOutputs(
  deps: readonly (readonly number[])[],
  fixed: ReadonlyMap<number, number> = new Map(),
): Float64Array {
  const outputs = new Float64Array(deps.length);
  for (let i = 0; i < deps.length; i++) {
    const pinned = fixed.get(i);
    if (pinned !== undefined) {
      outputs[i] = pinned;
      continue;
    }
    let sum = 0;
    for (const dep of deps[i] as number[]) sum += outputs[dep] as number;
    outputs[i] = (sum + 1) % MODULUS;
  }
  return outputs;
}

/** Sum of the outputs mod MODULUS. */
export function checksumOf(outputs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < outputs.length; i++) sum = (sum + (outputs[i] as number)) % MODULUS;
  return sum;
}

/** Throws unless `outputs` has the checksum and last output the workload expects. */
export function checkOutputs(
  engine: string,
  workload: Pick<Workload, 'name' | 'n' | 'stats'>,
  outputs: ArrayLike<number>,
): void {
  const { checksum, lastOutput } = workload.stats;
  const got = checksumOf(outputs);
  const last = outputs[workload.n - 1];
  if (outputs.length !== workload.n || got !== checksum || last !== lastOutput) {
    throw new Error(
      `${engine} on ${workload.name}: checksum ${got} and last output ${last} over ${outputs.length} nodes, expected ${checksum} and ${lastOutput} over ${workload.n}.`,
    );
  }
}
