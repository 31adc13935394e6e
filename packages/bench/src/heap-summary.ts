import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import type { TaskGraph } from '@taskgraph/core';
import { runOurs } from './engine-ours.js';
import { fmt } from './format.js';
import { collectGarbage } from './measure.js';
import { randomDag } from './random-dag.js';

// `tsx --conditions=source src/heap-summary.ts [--tasks N] [--top N]` (run with --expose-gc): what a
// finished graph of W3's shape holds on the heap, by class. Builds and runs the graph, takes a heap
// snapshot with the graph alive and one after dropping it, and prints the difference per constructor
// name (or V8's kind for strings, arrays, closures…): count and bytes per task.

const { values } = parseArgs({
  options: { tasks: { type: 'string', default: '100000' }, top: { type: 'string', default: '20' } },
});
const n = Number(values.tasks);
const workload = randomDag(n, 3);

// Holds the graph alive across the first snapshot.
const kept: { graph?: TaskGraph | undefined } = {};
await runOurs(workload, {}, (g) => {
  kept.graph = g;
});
const held = await summary();
kept.graph = undefined;
const after = await summary();

const rows = [...held]
  .map(([name, [count, bytes]]) => {
    const [countAfter, bytesAfter] = after.get(name) ?? [0, 0];
    return { name, count: count - countAfter, bytes: bytes - bytesAfter };
  })
  .filter((row) => row.bytes > 0)
  .sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
process.stdout.write(
  `Heap held by a finished W3-shaped graph of ${fmt(n, 0)} tasks: ${fmt(total / n, 0)} bytes/task (self sizes, snapshot with the graph minus without).\n\n`,
);
process.stdout.write('| class or kind | objects/task | bytes/task | share |\n| --- | ---: | ---: | ---: |\n');
for (const row of rows.slice(0, Number(values.top))) {
  process.stdout.write(
    `| ${row.name} | ${fmt(row.count / n, 2)} | ${fmt(row.bytes / n, 1)} | ${fmt((100 * row.bytes) / total, 1)}% |\n`,
  );
}

/** Self bytes and object count per constructor name (objects) or node type (strings, arrays, code…). */
async function summary(): Promise<Map<string, [number, number]>> {
  collectGarbage();
  const path = writeHeapSnapshot(join(tmpdir(), `taskgraph-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  const snapshot = JSON.parse(await readFile(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  await rm(path, { force: true });
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, [number, number]>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt] as number] as string;
    const key = type === 'object' ? (strings[nodes[i + nameAt] as number] as string) : `(${type})`;
    const entry = out.get(key) ?? [0, 0];
    entry[0]++;
    entry[1] += nodes[i + sizeAt] as number;
    out.set(key, entry);
  }
  return out;
}
