import { readFile, rm } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRegistry, buildGraph, runOptions } from './engine-ours.js';
import { fmt, table } from './format.js';
import type { CpuProfile } from './profile-summary.js';
import { selfTimes } from './profile-summary.js';
import { measurePersist, replayOnce } from './trace-bench.js';
import { readWorkload } from './workload.js';

// `pnpm --filter @taskgraph/bench profile --phase run|build|replay|persist [--workload w3_random_10000] [--runs N]
// [--top N]`: a CPU profile of our engine on a workload file (run, graph building, W6's replay of its
// trace, or a run with the `trace` option), summarized as self time per function.

const { values } = parseArgs({
  options: {
    phase: { type: 'string', default: 'run' },
    runs: { type: 'string', default: '20' },
    top: { type: 'string', default: '25' },
    workload: { type: 'string', default: 'w3_random_10000' },
  },
});
const runs = Number(values.runs);
const workload = readWorkload(values.workload);
const registry = benchRegistry();

const tracePath = join(tmpdir(), `taskgraph-profile-${process.pid}.json`);
let text = '';
if (values.phase === 'replay') {
  const dir = tmpdir();
  const { path } = await measurePersist(workload, { runs: 1, dir, mode: 'save' });
  text = await readFile(path, 'utf8');
  await rm(path, { force: true });
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
const profiles: CpuProfile[] = [];
let sampling = false;

/** Runs the phase once; samples only around the phase itself (for `run`: not while building the graph). */
async function once(): Promise<void> {
  const graph = values.phase === 'run' || values.phase === 'persist' ? buildGraph(workload) : undefined;
  if (values.phase === 'persist') {
    await rm(tracePath, { force: true });
    await rm(`${tracePath}.journal`, { force: true });
  }
  if (sampling) await session.post('Profiler.start');
  if (graph) await graph.run(registry, runOptions(values.phase === 'persist' ? { trace: tracePath } : {}));
  else if (values.phase === 'build') buildGraph(workload);
  else await replayOnce(workload, text);
  if (sampling) profiles.push((await session.post('Profiler.stop')).profile as CpuProfile);
}

for (let i = 0; i < 3; i++) await once();
sampling = true;
for (let i = 0; i < runs; i++) await once();
session.disconnect();
await rm(tracePath, { force: true });

const root = new URL('../../../', import.meta.url).href;
const shorten = (url: string) =>
  url.replace(root, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
const merged = new Map<string, { name: string; where: string; ms: number }>();
for (const profile of profiles) {
  for (const entry of selfTimes(profile, shorten)) {
    const key = `${entry.name} ${entry.where}`;
    const into = merged.get(key) ?? { name: entry.name, where: entry.where, ms: 0 };
    into.ms += entry.ms;
    merged.set(key, into);
  }
}
const all = [...merged.values()].sort((a, b) => b.ms - a.ms);
const total = all.reduce((sum, entry) => sum + entry.ms, 0);
const rows = all
  .slice(0, Number(values.top))
  .map((entry) => [entry.name, entry.where, fmt(entry.ms, 1), `${fmt((100 * entry.ms) / total, 1)}%`]);
process.stdout.write(
  `${workload.name} (${workload.n} tasks), phase ${values.phase}, ${runs} runs, ${fmt(total, 0)} ms sampled, ${fmt((total * 1000) / (runs * workload.n), 2)} µs/task\n\n`,
);
process.stdout.write(`${table(['function', 'where', 'self ms', 'share'], rows)}\n`);
