import type { CaseData } from './case-runner.js';
import { ENGINE_WORKLOADS, SCALE_SIZES } from './case-runner.js';
import { fmt, ratio, table } from './format.js';
import type { CaseOutcome } from './run-case-process.js';
import { scheduleLowerBound } from './schedule-bound.js';
import { readWorkload } from './workload.js';
import { workloadStats } from './workload-stats.js';

type Outcomes = ReadonlyMap<string, CaseOutcome>;

/** A figure of a case: from a finished case, or from the stages a failed one finished. */
function get(outcomes: Outcomes, id: string, key: string): number | undefined {
  const value: CaseData[string] | undefined = outcomes.get(id)?.data[key];
  return typeof value === 'number' ? value : undefined;
}

function perTask(ms: number | undefined, n: number): number | undefined {
  return ms === undefined ? undefined : (ms * 1000) / n;
}

function per(value: number | undefined, n: number): number | undefined {
  return value === undefined ? undefined : value / n;
}

function rss(outcomes: Outcomes, id: string): string {
  return fmt(outcomes.get(id)?.peakRssMb, 0);
}

const LABELS = { w1: 'W1 chain 1k', w2: 'W2 fan 10k', w3: 'W3 random 10k' } as const;

/** W1–W3: µs per task of the run, ratios, build time apart, peak memory. */
export function overheadTable(outcomes: Outcomes): string {
  const rows = (['w1', 'w2', 'w3'] as const).map((w) => {
    const { n } = readWorkload(ENGINE_WORKLOADS[w].file);
    const us = (engine: string) => perTask(get(outcomes, `engine:${w}:${engine}`, 'runMs'), n);
    const build = (engine: string) => perTask(get(outcomes, `engine:${w}:${engine}`, 'buildMs'), n);
    const cpu = (engine: string) => perTask(get(outcomes, `engine:${w}:${engine}`, 'cpuMs'), n);
    const runs = ['ours', 'baseline', 'langgraph'].map((e) =>
      fmt(get(outcomes, `engine:${w}:${e}`, 'runs'), 0),
    );
    return [
      LABELS[w],
      fmt(us('ours'), 2),
      fmt(us('baseline'), 2),
      fmt(us('langgraph'), 0),
      ratio(us('ours'), us('baseline')),
      ratio(us('ours'), us('langgraph'), 4),
      `${fmt(cpu('ours'), 2)} / ${fmt(cpu('baseline'), 2)} / ${fmt(cpu('langgraph'), 0)}`,
      ratio(cpu('ours'), cpu('baseline')),
      `${fmt(build('ours'), 2)} / ${fmt(build('langgraph'), 1)}`,
      ['ours', 'baseline', 'langgraph'].map((e) => rss(outcomes, `engine:${w}:${e}`)).join(' / '),
      runs.join(' / '),
    ];
  });
  return table(
    [
      'workload',
      'ours µs/task',
      'baseline µs/task',
      'LangGraph µs/task',
      'ours/baseline (target ≤ 2x)',
      'ours/LangGraph',
      'CPU µs/task ours / baseline / LangGraph',
      'ours/baseline in CPU time',
      'build µs/task ours / LangGraph',
      'peak RSS MB ours / baseline / LangGraph',
      'runs',
    ],
    rows,
  );
}

/** W4 and W5: makespan against the critical path and against max(critical path, total work / 8). */
export function makespanTable(outcomes: Outcomes): string {
  const w4 = readWorkload(ENGINE_WORKLOADS.w4.file);
  const stats = workloadStats(w4.deps, w4.latencyMs);
  const cp = stats.criticalPathMs;
  const bound = stats.limit8LowerBoundMs;
  const best = scheduleLowerBound(w4.deps, w4.latencyMs ?? [], 8);
  const engines = { ours: 'taskgraph (ours)', baseline: 'hand-written baseline', langgraph: 'LangGraph.js' };
  const rows = Object.entries(engines).map(([engine, label]) => {
    const m4 = get(outcomes, `engine:w4:${engine}`, 'runMs');
    const m5 = get(outcomes, `engine:w5:${engine}`, 'runMs');
    return [
      label,
      fmt(m4, 0),
      ratio(m4, cp, 3),
      fmt(m5, 0),
      ratio(m5, cp, 3),
      ratio(m5, bound, 3),
      ratio(m5, best.ms, 3),
    ];
  });
  return [
    `Critical path ${fmt(cp, 0)} ms, total work ${fmt(stats.totalWorkMs, 0)} ms, max(critical path, work / 8) = ${fmt(bound, 1)} ms, lock-step rounds ${fmt(stats.superstepBoundMs, 0)} ms (computed from the file).`,
    `No schedule on 8 slots can end before ${fmt(best.ms, 1)} ms (${ratio(best.ms, bound, 3)} of max(cp, work / 8)): the tasks that cannot start before ${fmt(best.x, 0)} ms (their longest chain of dependencies) hold ${fmt(best.workMs, 0)} ms of work (schedule-bound.ts, ANALYSIS.md).`,
    '',
    table(
      [
        'engine',
        'W4 makespan ms',
        'W4 ÷ critical path (target ≤ 1.02)',
        'W5 makespan ms',
        'W5 ÷ critical path',
        'W5 ÷ max(cp, work/8) (target ≤ 1.10)',
        'W5 ÷ lower bound of any 8-slot schedule',
      ],
      rows,
    ),
  ].join('\n');
}

/** W6, W7, W8 and the trace's size, on W3's file. */
export function traceTable(outcomes: Outcomes): string {
  const n = readWorkload('w3_random_10000').n;
  const w3 = get(outcomes, 'engine:w3:ours', 'runMs');
  const w6 = (key: string) => get(outcomes, 'trace:w6', key);
  const w7 = (key: string) => outcomes.get('trace:w7')?.data[key];
  const save = (key: string) => get(outcomes, 'trace:w8-save', key);
  const traced = (key: string) => get(outcomes, 'trace:w8-trace', key);
  const bytes = (key: string) => per(save(key), n);
  return table(
    ['measure (W3 file, 10,000 tasks)', 'ours', 'against', 'ratio', 'target'],
    [
      [
        'W6 replay: JSON.parse + fromJSON + run, ms',
        fmt(w6('replayMs')),
        `JSON.parse of the same text: ${fmt(w6('jsonParseMs'))} ms`,
        ratio(w6('replayMs'), w6('jsonParseMs')),
        '≤ 3x, 0 calls',
      ],
      [
        'W6 split: parse / fromJSON / run, ms; function calls',
        `${fmt(w6('parseMs'))} / ${fmt(w6('loadMs'))} / ${fmt(w6('runMs'))}; ${fmt(w6('calls'), 0)} calls`,
        '',
        '',
        '',
      ],
      [
        `W7 edit output of t${fmt(w7('index') as number, 0)}: tasks re-executed`,
        fmt(w7('reexecuted') as number, 0),
        `downstream cone ${fmt(w7('coneSize') as number, 0)} tasks; same set: ${fmt(w7('exact'))}`,
        '',
        'exactly the cone',
      ],
      [
        `W7 edit output of t${fmt(w7('earlyIndex') as number, 0)} (early node, larger cone): re-executed`,
        fmt(w7('earlyReexecuted') as number, 0),
        `downstream cone ${fmt(w7('earlyConeSize') as number, 0)} tasks; same set: ${fmt(w7('earlyExact'))}`,
        '',
        'exactly the cone',
      ],
      ['W7 load + replay ms (middle edit)', fmt(w7('replayMs') as number), '', '', ''],
      [
        'W8 run, then saveTrace: run + save ms',
        `${fmt(save('runMs'))} + ${fmt(save('saveMs'))}`,
        `W3 run without persistence: ${fmt(w3)} ms`,
        ratio(save('runAndSaveMs'), w3),
        '≤ 2x',
      ],
      [
        'W8 run with the `trace` run option (journal while running), ms',
        fmt(traced('runMs')),
        `W3 run without persistence: ${fmt(w3)} ms`,
        ratio(traced('runMs'), w3),
        '≤ 2x',
      ],
      [
        'trace bytes/task: saved file (pretty JSON)',
        fmt(bytes('traceBytes'), 0),
        `minimal {id, deps, output}, compact: ${fmt(bytes('minimalBytes'), 0)}`,
        ratio(save('traceBytes'), save('minimalBytes')),
        '≤ 2x',
      ],
      [
        'trace bytes/task: same document, compact JSON',
        fmt(bytes('compactTraceBytes'), 0),
        `minimal: ${fmt(bytes('minimalBytes'), 0)}`,
        ratio(save('compactTraceBytes'), save('minimalBytes')),
        '',
      ],
    ],
  );
}

/** W3's shape at 10k to 10M: per-task figures, so that the growth is visible. */
export function scaleTable(outcomes: Outcomes): string {
  const rows = SCALE_SIZES.map((n) => {
    const id = `scale:${n}:ours`;
    const s = (key: string) => get(outcomes, id, key);
    const base = perTask(get(outcomes, `scale:${n}:baseline`, 'runMs'), n);
    const run = perTask(s('runMs'), n);
    const mine = outcomes.get(id);
    const theirs = outcomes.get(`scale:${n}:baseline`);
    const status = [mine, theirs]
      .map((o, i) => `${i === 0 ? 'ours' : 'baseline'}: ${caseStatus(o)}`)
      .join(', ');
    return [
      fmt(n, 0),
      fmt(perTask(s('buildMs'), n), 2),
      fmt(run, 2),
      fmt(base, 2),
      ratio(run, base),
      fmt(perTask(s('saveMs'), n), 2),
      `${fmt(perTask(s('replayMs'), n), 2)} (${fmt(perTask(s('loadMs'), n), 2)} / ${fmt(perTask(s('replayRunMs'), n), 2)})`,
      fmt(s('calls'), 0),
      fmt(per(s('traceBytes'), n), 0),
      fmt(per((s('graphHeapMb') ?? Number.NaN) * 2 ** 20, n), 0),
      `${rss(outcomes, id)} / ${rss(outcomes, `scale:${n}:baseline`)}`,
      `${fmt(s('runs'), 0)} / ${fmt(get(outcomes, `scale:${n}:baseline`, 'runs'), 0)}`,
      status,
    ];
  });
  return table(
    [
      'tasks',
      'ours build µs/task',
      'ours run µs/task',
      'baseline run µs/task',
      'ours/baseline',
      'save µs/task',
      'replay µs/task (streamed loadTrace / run)',
      'replay calls',
      'trace bytes/task',
      'graph heap bytes/task',
      'peak RSS MB ours / baseline',
      'runs ours / baseline',
      'status',
    ],
    rows,
  );
}

function caseStatus(outcome: CaseOutcome | undefined): string {
  if (!outcome) return 'not run';
  if (outcome.ok) return 'ok';
  return outcome.lastStage ? `failed after ${outcome.lastStage}` : 'failed';
}

/** Cases that failed, with where and why. */
export function failureList(outcomes: Outcomes): string {
  const failed = [...outcomes.values()].filter((o) => !o.ok);
  if (failed.length === 0) return 'None: every case ran and every checksum matched.';
  return failed
    .map(
      (o) =>
        `- \`${o.id}\`${o.lastStage ? ` (last stage finished: ${o.lastStage})` : ''}: ${o.error ?? 'unknown error'}`,
    )
    .join('\n');
}
