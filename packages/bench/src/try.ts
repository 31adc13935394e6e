import { baseline } from './engine-baseline.js';
import { langgraph } from './engine-langgraph.js';
import { ours } from './engine-ours.js';
import { randomDagDeps } from './random-dag.js';
import { checkOutputs, readWorkload } from './workload.js';
import { workloadStats } from './workload-stats.js';

for (const [name, seed] of [
  ['w3_random_1000', 33],
  ['w3_random_10000', 3],
] as const) {
  const w = readWorkload(name);
  const gen = randomDagDeps(w.n, seed);
  console.log(
    name,
    JSON.stringify(gen) === JSON.stringify(w.deps),
    JSON.stringify(workloadStats(w.deps)),
    JSON.stringify(w.stats),
  );
}
for (const name of ['w1_chain_1000', 'w2_fanout_10000', 'w4_latency_200']) {
  const w = readWorkload(name);
  console.log(name, JSON.stringify(workloadStats(w.deps, w.latencyMs)), JSON.stringify(w.stats));
}
const which = process.argv.slice(2);
for (const name of which) {
  const w = readWorkload(name);
  for (const e of [ours, baseline, langgraph]) {
    const r = await e.run(w);
    checkOutputs(e.id, w, r.outputs);
    console.log(
      name,
      e.id,
      r.buildMs.toFixed(1),
      r.runMs.toFixed(1),
      ((r.runMs * 1000) / w.n).toFixed(2),
      'us/task',
    );
  }
}
