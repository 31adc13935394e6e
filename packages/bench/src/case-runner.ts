import { readFile } from 'node:fs/promises';
import { measureChain } from './chain-bench.js';
import { measureEdit } from './edit-bench.js';
import type { Engine } from './engine.js';
import { baseline } from './engine-baseline.js';
import { measureEngine } from './engine-bench.js';
import { langgraph } from './engine-langgraph.js';
import { ours } from './engine-ours.js';
import { measureLoop } from './loop-bench.js';
import { measurePlanner } from './planner-bench.js';
import { randomDag } from './random-dag.js';
import type { StageListener } from './scale-bench.js';
import { measureScale } from './scale-bench.js';
import { measurePersist, measureReplay } from './trace-bench.js';
import type { Workload } from './workload.js';
import { readWorkload } from './workload.js';

/** Figures a case reports: numbers and yes/no answers, by name. */
export type CaseData = Record<string, number | boolean>;

/** The workloads W1 to W5 of DESIGN.md, the files they read, and the smaller file of the same shape for slow engines' warm-up. */
export const ENGINE_WORKLOADS = {
  w1: { file: 'w1_chain_1000', small: 'w1_chain_1000', limit: undefined },
  w2: { file: 'w2_fanout_10000', small: 'w2_fanout_1000', limit: undefined },
  w3: { file: 'w3_random_10000', small: 'w3_random_1000', limit: undefined },
  w4: { file: 'w4_latency_200', small: 'w4_latency_200', limit: undefined },
  w5: { file: 'w4_latency_200', small: 'w4_latency_200', limit: 8 },
} as const;

export type EngineWorkload = keyof typeof ENGINE_WORKLOADS;

export const ENGINES: Record<Engine['id'], Engine> = { ours, baseline, langgraph };

/** Generations of the creation-chain cases (each beside a flat chain of the same length). */
export const CHAIN_SIZES = [1_000, 10_000, 100_000] as const;

/** Turns of the agent-loop cases: each step task stores what it adds, so a turn costs the same at each. */
export const LOOP_TURNS = [100, 1_000, 10_000] as const;

/** Steps of the planner cases: each step stores what it adds to the run's lists, so a step costs the same at each. */
export const PLANNER_STEPS = [100, 1_000, 10_000] as const;

/** Sizes of W3's shape for the scale runs, with the passes each gets. */
export const SCALE_SIZES = [10_000, 100_000, 1_000_000, 10_000_000] as const;
const SCALE_SEED = 3;

export interface CaseContext {
  /** A folder for trace files. */
  dir: string;
  /** Timed runs per case (fewer for LangGraph on 10,000 tasks and at scale, see runsFor). */
  runs: number;
  onStage?: StageListener;
}

/** How long W1-W3 are sampled at least, LangGraph's long runs aside: a run of ours takes a millisecond or less. */
const PER_TASK_SAMPLE_MS = 2_000;

/** Timed runs: LangGraph takes a minute or more per run of W2 and W3, so it gets 3 after a warm-up on the 1,000-task file. */
function runsFor(
  engine: Engine['id'],
  workload: EngineWorkload,
  runs: number,
): { runs: number; slow: boolean; minMs?: number } {
  const slow = engine === 'langgraph' && (workload === 'w2' || workload === 'w3');
  const perTask = workload === 'w1' || workload === 'w2' || workload === 'w3';
  return {
    runs: slow ? Math.min(runs, 3) : runs,
    slow,
    ...(perTask && engine !== 'langgraph' ? { minMs: PER_TASK_SAMPLE_MS } : {}),
  };
}

/** Runs the case `id` in this process and returns its figures. Ids: see `caseIds`. */
export async function runCase(id: string, context: CaseContext): Promise<CaseData> {
  const [group, a, b] = id.split(':');
  if (group === 'engine') {
    const spec = ENGINE_WORKLOADS[a as EngineWorkload];
    const engine = ENGINES[b as Engine['id']];
    if (!spec || !engine) throw new Error(`runCase: unknown case "${id}".`);
    const { runs, slow, minMs } = runsFor(engine.id, a as EngineWorkload, context.runs);
    const result = await measureEngine(engine, readWorkload(spec.file), {
      runs,
      ...(minMs === undefined ? {} : { minMs }),
      ...(spec.limit === undefined ? {} : { limit: spec.limit }),
      ...(slow ? { warmup: readWorkload(spec.small) } : {}),
    });
    return { runs: result.runs, buildMs: result.buildMs, runMs: result.runMs, cpuMs: result.cpuMs };
  }
  if (group === 'trace') return runTraceCase(a ?? '', context);
  if (group === 'scale') {
    const n = Number(a);
    const workload = n === 10_000 ? readWorkload('w3_random_10000') : randomDag(n, SCALE_SEED);
    const runs = n >= 1_000_000 ? 1 : n >= 100_000 ? Math.min(context.runs, 3) : context.runs;
    // Warm up on the 10,000-task file: a pass at a million tasks is all there is time for.
    if (b === 'ours') {
      await measureScale(readWorkload('w3_random_10000'), { runs: 1, dir: context.dir });
      return measureScale(workload, { runs, dir: context.dir, ...stageListener(context) });
    }
    const result = await measureEngine(baseline, workload, { runs, warmup: readWorkload('w3_random_10000') });
    return { runs: result.runs, buildMs: result.buildMs, runMs: result.runMs };
  }
  if (group === 'chain' && (b === 'created' || b === 'flat')) {
    const n = Number(a);
    return measureChain(b, n, {
      runs: n >= 100_000 ? Math.min(context.runs, 3) : context.runs,
      dir: context.dir,
    });
  }
  if (group === 'loop') {
    const turns = Number(a);
    return measureLoop(turns, { runs: turns >= 1_000 ? 1 : context.runs, dir: context.dir });
  }
  if (group === 'planner') {
    const steps = Number(a);
    return measurePlanner(steps, { runs: steps >= 1_000 ? 1 : context.runs, dir: context.dir });
  }
  throw new Error(`runCase: unknown case "${id}".`);
}

function stageListener(context: CaseContext): { onStage?: StageListener } {
  return context.onStage ? { onStage: context.onStage } : {};
}

/** W6, W7 and W8 on W3's file: replay, edit and replay, persistence. */
async function runTraceCase(name: string, context: CaseContext): Promise<CaseData> {
  const workload: Workload = readWorkload('w3_random_10000');
  const { runs, dir } = context;
  switch (name) {
    case 'w8-save': {
      const { path: _path, ...data } = await measurePersist(workload, { runs, dir, mode: 'save' });
      return data;
    }
    case 'w8-trace': {
      const { path: _path, ...data } = await measurePersist(workload, { runs, dir, mode: 'trace' });
      return data;
    }
    case 'w6':
    case 'w7': {
      const { path } = await measurePersist(workload, { runs: 1, dir, mode: 'save' });
      const text = await readFile(path, 'utf8');
      if (name === 'w6') return measureReplay(workload, text, { runs });
      // The middle node's cone is small in this shape; an early node's shows the same rule on a large cone.
      const middle = await measureEdit(workload, text, { runs });
      const early = await measureEdit(workload, text, { runs: 1, index: 100 });
      return {
        ...middle,
        earlyIndex: early.index,
        earlyReexecuted: early.reexecuted,
        earlyConeSize: early.coneSize,
        earlyExact: early.exact,
      };
    }
    default:
      throw new Error(`runCase: unknown trace case "${name}".`);
  }
}

/** Every case of the full bench, in the order of the report. */
export function caseIds(): string[] {
  const ids: string[] = [];
  for (const workload of Object.keys(ENGINE_WORKLOADS)) {
    for (const engine of Object.keys(ENGINES)) ids.push(`engine:${workload}:${engine}`);
  }
  ids.push('trace:w6', 'trace:w7', 'trace:w8-save', 'trace:w8-trace');
  for (const n of SCALE_SIZES) ids.push(`scale:${n}:ours`, `scale:${n}:baseline`);
  for (const n of CHAIN_SIZES) ids.push(`chain:${n}:created`, `chain:${n}:flat`);
  for (const turns of LOOP_TURNS) ids.push(`loop:${turns}`);
  for (const steps of PLANNER_STEPS) ids.push(`planner:${steps}`);
  return ids;
}
