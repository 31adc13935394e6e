import type { ReplayPlan, TaskPlan } from '@taskgraph/core';
import { table } from './format-units.js';
import { formatAddress } from './task-address.js';

const LABEL: Record<TaskPlan['action'], string> = { reuse: 'reuse', rerun: 're-run', recreate: 're-create' };

/**
 * The plan as text: a line of counts, then each task that does not simply reuse its result, with the
 * reason it re-runs. A re-created task is reused if its creator creates it again, dropped if not.
 */
export function formatPlan(plan: ReplayPlan): string {
  const { reuse, rerun, recreate } = plan.counts;
  const calls = `${formatCallRange(plan.llmCallRange)} planned`;
  const head = `Plan: ${rerun} to re-run, ${recreate} to re-create, ${reuse} to reuse · ${calls}`;
  const rows = plan.tasks
    .filter((task) => task.action !== 'reuse')
    .map((task) => [
      LABEL[task.action],
      `${'  '.repeat(task.taskPath.length - 1)}${formatAddress(task.taskPath)}`,
      task.llmCall ? 'LLM call' : '',
      task.action === 'recreate' ? `${task.reason}; dropped unless created again` : task.reason,
    ]);
  if (rows.length === 0) return `${head}\nNothing to re-run: every task reuses its stored result.`;
  return [head, ...table(rows).map((line) => `  ${line}`)].join('\n');
}

/** "2 LLM calls", or "1–3 LLM calls" when upstream re-runs and re-created tasks decide some. */
export function formatCallRange({ min, max }: ReplayPlan['llmCallRange']): string {
  return `${min === max ? min : `${min}–${max}`} LLM call${max === 1 ? '' : 's'}`;
}

/** The plan as `--json` prints it: core's plan, each task also named by its command-line address. */
export function planDocument(plan: ReplayPlan): unknown {
  return { ...plan, tasks: plan.tasks.map((task) => ({ task: formatAddress(task.taskPath), ...task })) };
}
