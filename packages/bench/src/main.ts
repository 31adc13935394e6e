import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { caseIds } from './case-runner.js';
import { fmt } from './format.js';
import { loadAverage, machineInfo } from './machine-info.js';
import { methodNotes } from './method-notes.js';
import { distributedSectionOf, withDistributedSection } from './render-distributed.js';
import { chainTable, loopTable, PLANNER_NOTE, plannerTable } from './render-long-runs.js';
import { failureList, makespanTable, overheadTable, scaleTable, traceTable } from './render-results.js';
import type { CaseOutcome } from './run-case-process.js';
import { runCaseProcess } from './run-case-process.js';

// `pnpm bench`: runs every case in its own process, prints the tables and writes them to RESULTS.md.
// Options: --runs N (timed runs per case, default 5), --only PREFIX (cases whose id starts with it, e.g.
// "engine:w3" or "scale"), --out FILE (default RESULTS.md beside package.json; "-" to write nothing).

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', multiple: true },
    out: { type: 'string', default: new URL('../RESULTS.md', import.meta.url).pathname },
    'scale-heap-mb': { type: 'string', default: '12288' },
    'scale-10m-heap-mb': { type: 'string', default: '20480' },
  },
});

const runs = Number(values.runs);
const only = values.only ?? [];
const ids = caseIds().filter((id) => only.length === 0 || only.some((prefix) => id.startsWith(prefix)));
const dir = await mkdtemp(join(tmpdir(), 'taskgraph-bench-'));
const outcomes = new Map<string, CaseOutcome>();
const started = Date.now();
const loadAtStart = loadAverage();

for (const id of ids) {
  process.stderr.write(`${id} … `);
  const heapMb = id.startsWith('scale:10000000:')
    ? Number(values['scale-10m-heap-mb'])
    : id.startsWith('scale:')
      ? Number(values['scale-heap-mb'])
      : 4096;
  // A graph of millions of tasks keeps gigabytes alive: a young generation of 64 MB lets the garbage of
  // saving and loading (a record per task) die young instead of being promoted and marked with the graph.
  const semiSpaceMb = id.startsWith('scale:') ? 64 : undefined;
  const outcome = await runCaseProcess(id, { dir, runs, heapMb, ...(semiSpaceMb ? { semiSpaceMb } : {}) });
  outcomes.set(id, outcome);
  process.stderr.write(
    `${outcome.ok ? 'ok' : `FAILED: ${outcome.error}`} (${fmt(outcome.wallMs / 1000)} s, peak RSS ${fmt(outcome.peakRssMb, 0)} MB)\n`,
  );
}
await rm(dir, { recursive: true, force: true });

const langgraphVersion = await packageVersion('@langchain/langgraph');
const langchainCoreVersion = await packageVersion('@langchain/core');
const machine = machineInfo();
const report = [
  '# Benchmark results',
  '',
  `Written by \`pnpm bench\` (packages/bench) in ${fmt((Date.now() - started) / 60_000)} min. Workloads and targets: DESIGN.md, "Performance"; graphs: \`workloads/\`. Where the time goes and why targets are missed: [ANALYSIS.md](ANALYSIS.md).`,
  '',
  ...Object.entries(machine).map(([key, value]) => `- ${key}: ${value}`),
  `- LangGraph.js: @langchain/langgraph ${langgraphVersion}, @langchain/core ${langchainCoreVersion}`,
  `- load average (1 min) at start / end: ${loadAtStart} / ${loadAverage()} on ${machine.cores} cores (higher than the cores: other processes competed with the bench)`,
  `- timed runs per case: ${runs} unless the table says fewer`,
  '',
  '## W1–W3: per-task overhead of the run',
  '',
  overheadTable(outcomes),
  '',
  '## W4–W5: makespan of 200 sleeping tasks',
  '',
  makespanTable(outcomes),
  '',
  '## W6–W8: replay, edit, persistence, and trace size',
  '',
  traceTable(outcomes),
  '',
  "## Scale: W3's shape at 10,000 to 10,000,000 tasks",
  '',
  scaleTable(outcomes),
  '',
  '## Creation chains: tasks that add their successor, against a flat chain',
  '',
  chainTable(outcomes),
  '',
  '## Agent loop: turns of a scripted loop',
  '',
  loopTable(outcomes),
  '',
  'Each step task stores the messages it adds and a bounded state (counters, the loop detector\'s window), never the whole conversation, so a turn costs the same time and trace bytes at 100 turns as at 10,000 (the responder here reads no history; an LLM responder\'s prompt grows with the conversation, docs/patterns.md, "Limits").',
  '',
  '## Planner: steps of a scripted planner',
  '',
  plannerTable(outcomes),
  '',
  PLANNER_NOTE,
  '',
  '## Failures',
  '',
  failureList(outcomes),
  '',
  '## How these were measured',
  '',
  methodNotes(Number(values['scale-heap-mb']), Number(values['scale-10m-heap-mb'])),
  '',
].join('\n');

process.stdout.write(report);
if (values.out !== '-') {
  // The distributed section is written by `pnpm bench:distributed`; it is kept as it is.
  const previous = distributedSectionOf(await readFile(values.out, 'utf8').catch(() => ''));
  await writeFile(values.out, previous ? withDistributedSection(report, previous) : report);
}

async function packageVersion(name: string): Promise<string> {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  const { version } = JSON.parse(await readFile(path, 'utf8')) as { version: string };
  return version;
}
