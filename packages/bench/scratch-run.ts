import { FunctionRegistry, TaskGraph } from '@taskgraph/core';

const N = Number(process.argv[2] ?? 1500);
const mode = process.argv[3] ?? 'created';
const registry = new FunctionRegistry();
registry.register('gen', (ctx, prev?: number) => {
  const k = (prev ?? 0) + 1;
  const left = (ctx.args as { left: number }).left;
  if (left > 1) ctx.addFunction({ id: 'next', fn: 'gen', deps: [ctx.taskId], args: { left: left - 1 } });
  return k;
});
registry.register('flat', (_ctx, prev?: number) => (prev ?? 0) + 1);
for (let rep = 0; rep < 4; rep++) {
  const t = performance.now();
  const g = new TaskGraph();
  if (mode === 'created') g.addFunction({ id: 'g0', fn: 'gen', args: { left: N } });
  else for (let i = 0; i < N; i++) g.addFunction({ id: `t${i}`, fn: 'flat', deps: i ? [`t${i - 1}`] : [] });
  await g.run(registry);
  console.log(mode, 'build+run µs/task', (((performance.now() - t) * 1000) / N).toFixed(2));
}
