import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { distributedBench } from './distributed-bench.js';
import { loadAverage } from './machine-info.js';
import { distributedSection, withDistributedSection } from './render-distributed.js';

// `pnpm bench:distributed`: the BullMQ measures, written into their section of RESULTS.md.
// Options: --runs N (timed runs of the W3 and CPU cases, default 3), --out FILE ("-" to write nothing).

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: new URL('../RESULTS.md', import.meta.url).pathname },
  },
});

const loadAtStart = loadAverage();
const results = await distributedBench(Number(values.runs));
const section = distributedSection(results, {
  load: `${loadAtStart} / ${loadAverage()}`,
  date: new Date().toISOString(),
});
process.stdout.write(`${section}\n`);
if (values.out !== '-') {
  const text = await readFile(values.out, 'utf8').catch(() => '# Benchmark results\n');
  await writeFile(values.out, withDistributedSection(text, section));
}
