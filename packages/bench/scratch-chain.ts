import { FunctionRegistry, loadTrace, saveTrace, TaskGraph } from '@taskgraph/core';

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
const tb = performance.now();
const g = new TaskGraph();
if (mode === 'created') g.addFunction({ id: 'g0', fn: 'gen', args: { left: N } });
else for (let i = 0; i < N; i++) g.addFunction({ id: `t${i}`, fn: 'flat', deps: i ? [`t${i - 1}`] : [] });
console.log('build ms', performance.now() - tb);
let t = performance.now();
try {
  await g.run(registry, {});
} catch (e) {
  console.log('ERR', (e as Error).message.slice(0, 200));
}
console.log('run ms', performance.now() - t, 'tasks', g.size);
t = performance.now();
await saveTrace(g, '/tmp/lg/c.json');
console.log('save ms', performance.now() - t);
const fs = await import('node:fs');
console.log('bytes/task', fs.statSync('/tmp/lg/c.json').size / g.size);
t = performance.now();
const g2 = await loadTrace('/tmp/lg/c.json');
console.log('load ms', performance.now() - t);
t = performance.now();
await g2.run(registry, {});
console.log('replay ms', performance.now() - t);
