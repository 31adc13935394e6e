import { CHAIN_SIZES, LOOP_TURNS, PLANNER_STEPS } from './case-runner.js';
import { fmt, ratio, table } from './format.js';
import type { CaseOutcome } from './run-case-process.js';

type Outcomes = ReadonlyMap<string, CaseOutcome>;

function figure(outcomes: Outcomes, id: string, key: string): number | undefined {
  const value = outcomes.get(id)?.data[key];
  return typeof value === 'number' ? value : undefined;
}

/** µs per unit of a figure in ms. */
function micros(ms: number | undefined, n: number): number | undefined {
  return ms === undefined ? undefined : (ms * 1000) / n;
}

function status(outcome: CaseOutcome | undefined): string {
  if (!outcome) return 'not run';
  return outcome.ok ? 'ok' : `failed: ${outcome.error ?? 'unknown'}`;
}

/**
 * Creation chains: per generation, a task that adds its successor through `ctx.addFunction`, against a
 * flat chain of the same length built before the run. Each phase as µs per task, created / flat.
 */
export function chainTable(outcomes: Outcomes): string {
  const rows = CHAIN_SIZES.map((n) => {
    const created = `chain:${n}:created`;
    const flat = `chain:${n}:flat`;
    const pair = (key: string) => {
      const a = micros(figure(outcomes, created, key), n);
      const b = micros(figure(outcomes, flat, key), n);
      return [`${fmt(a, 2)} / ${fmt(b, 2)}`, ratio(a, b)];
    };
    const bytes = (id: string) => {
      const total = figure(outcomes, id, 'traceBytes');
      return total === undefined ? undefined : total / n;
    };
    return [
      fmt(n, 0),
      ...pair('runMs'),
      ...pair('runCpuMs'),
      ...pair('saveMs'),
      ...pair('loadMs'),
      ...pair('replayMs'),
      `${fmt(bytes(created), 0)} / ${fmt(bytes(flat), 0)}`,
      `${fmt(figure(outcomes, created, 'calls'), 0)} / ${fmt(figure(outcomes, flat, 'calls'), 0)}`,
      fmt(figure(outcomes, created, 'longestId'), 0),
      `${status(outcomes.get(created))}, ${status(outcomes.get(flat))}`,
    ];
  });
  return table(
    [
      'generations',
      'build + run µs/task created / flat',
      'ratio (target ≤ 2x)',
      'CPU µs/task',
      'ratio',
      'save µs/task',
      'ratio',
      'load µs/task',
      'ratio',
      'replay run µs/task',
      'ratio',
      'trace bytes/task',
      'replay calls',
      'longest created id',
      'status',
    ],
    rows,
  );
}

/** Per-unit figures of a long-run case at each length: the agent loop's turns, the planner's steps. */
function perUnitTable(outcomes: Outcomes, group: string, unit: string, lengths: readonly number[]): string {
  const rows = lengths.map((n) => {
    const id = `${group}:${n}`;
    const per = (key: string) => fmt(micros(figure(outcomes, id, key), n), 0);
    const bytes = figure(outcomes, id, 'traceBytes');
    return [
      fmt(n, 0),
      fmt(figure(outcomes, id, 'tasks'), 0),
      per('runMs'),
      per('saveMs'),
      per('loadMs'),
      per('replayMs'),
      fmt(bytes === undefined ? undefined : bytes / n, 0),
      fmt(figure(outcomes, id, 'calls'), 0),
      status(outcomes.get(id)),
    ];
  });
  return table(
    [
      `${unit}s`,
      'tasks',
      `run µs/${unit}`,
      `save µs/${unit}`,
      `load µs/${unit}`,
      `replay run µs/${unit}`,
      `trace bytes/${unit}`,
      'replay calls',
      'status',
    ],
    rows,
  );
}

/** The agent loop with one scripted function responder: per-turn figures at each length. */
export function loopTable(outcomes: Outcomes): string {
  return perUnitTable(outcomes, 'loop', 'turn', LOOP_TURNS);
}

/** The planner with a tool for its tasks and a refine function: per-step figures at each length. */
export function plannerTable(outcomes: Outcomes): string {
  return perUnitTable(outcomes, 'planner', 'step', PLANNER_STEPS);
}

/** What the planner table measures, printed under it. */
export const PLANNER_NOTE =
  'One step per task: the step, the task (a tool call) and its refine (a function), with the no-repeat rule on. Each step stores what it adds to the run\'s lists (the task it completed) and a bounded state, never the lists, so a step costs the same time and trace bytes at 100 steps as at 10,000; the end task\'s result holds the whole lists once (the prompts of LLM refines and workers told the completed tasks grow with the run, docs/patterns.md, "Long runs").';
