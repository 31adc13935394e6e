// Paired A/B: the same workload on two copies of the core, samples alternated.
import { nodeStep } from '/work/main/packages/bench/src/node-step.ts';
import { readWorkload } from '/work/main/packages/bench/src/workload.ts';
type Core = typeof import('/work/main/packages/core/src/index.ts');
const A: Core = await import('/work/wt-cur/packages/core/src/index.ts');
const B: Core = await import(process.env.B ?? '/work/main/packages/core/src/index.ts');
async function once(core: Core, w: ReturnType<typeof readWorkload>): Promise<number> {
  const registry = new core.FunctionRegistry();
  registry.register('sum', (_ctx: unknown, ...deps: number[]) => nodeStep(deps));
  const graph = new core.TaskGraph();
  for (let i = 0; i < w.n; i++) graph.addFunction({ id: `t${i}`, fn: 'sum', deps: (w.deps[i] as number[]).map((d) => `t${d}`) });
  graph.setOutput(`t${w.n - 1}`);
  const t = performance.now();
  await graph.run(registry, { maxTasks: Number.POSITIVE_INFINITY });
  return performance.now() - t;
}
const gc = (globalThis as { gc?: () => void }).gc as () => void;
for (const name of process.argv.slice(2)) {
  const w = readWorkload(name);
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) { await once(A, w); await once(B, w); }
  const a: number[] = []; const b: number[] = [];
  for (let i = 0; i < 60; i++) {
    gc(); a.push(await once(A, w));
    gc(); b.push(await once(B, w));
  }
  a.sort((x, y) => x - y); b.sort((x, y) => x - y);
  const f = (v: number[], q: number) => ((v[Math.floor(v.length * q)] as number) * 1000 / w.n).toFixed(2);
  console.log(name.padEnd(18), 'before', f(a, 0.5), `(q1 ${f(a, 0.25)})`, ' after', f(b, 0.5), `(q1 ${f(b, 0.25)})`, ' ratio', (Number(f(b, 0.5)) / Number(f(a, 0.5))).toFixed(2));
}
