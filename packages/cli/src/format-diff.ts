import type { FieldDiff, TraceDiff } from '@taskgraph/core';
import { shortJson } from './format-units.js';
import { formatAddress } from './task-address.js';
import { valueChanges } from './value-changes.js';

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** `diff` as text: the first divergence, then per task what differs, with short before → after values. */
export function formatDiff(diff: TraceDiff, a: string, b: string): string {
  if (diff.same) return `No difference between ${a} and ${b} (timings and attempts are not compared).`;
  const lines = [`--- ${a}`, `+++ ${b}`];
  const first = firstDivergence(diff);
  if (first) lines.push(`First divergence: ${formatAddress(first)}`);
  if (diff.input) lines.push('', '~ (graph input)', ...fieldLines(diff.input));
  for (const task of diff.tasks) {
    const depth = '  '.repeat(task.taskPath.length - 1);
    const what = task.change === 'changed' ? task.fields.map((field) => field.field).join(', ') : task.change;
    lines.push('', `${MARK[task.change]} ${depth}${formatAddress(task.taskPath)}: ${what}`);
    for (const field of task.fields) lines.push(...fieldLines(field).map((line) => `${depth}${line}`));
  }
  return lines.join('\n');
}

function fieldLines(field: FieldDiff): string[] {
  if (field.field === 'definition') return ['    definition: the task is defined differently'];
  const before = 'before' in field ? readable(field.field, field.before) : NONE;
  const after = 'after' in field ? readable(field.field, field.after) : NONE;
  return valueChanges(before, after).map((change) => {
    const [a, b] = excerpts(change.before, change.after);
    return `    ${field.field}${change.path}: ${a} → ${b}`;
  });
}

/** Two long strings are shown from a little before where they start to differ. */
function excerpts(before: unknown, after: unknown): [string, string] {
  if (typeof before !== 'string' || typeof after !== 'string') return [show(before), show(after)];
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const from = i > 30 ? i - 20 : 0;
  const cut = (text: string) => (from > 0 ? `…${shortJson(text.slice(from)).slice(1)}` : shortJson(text));
  return [cut(before), cut(after)];
}

const NONE = Symbol('none');

/** A response reads best as its text, an error as its message. */
function readable(field: FieldDiff['field'], value: unknown): unknown {
  const object = value as { content?: unknown; message?: unknown } | null;
  if (field === 'response' && object && typeof object.content === 'string') return object.content;
  if (field === 'error' && object && typeof object.message === 'string') return object.message;
  return value;
}

function show(value: unknown): string {
  return value === NONE || value === undefined ? '(none)' : shortJson(value);
}

/** The diff as `--json` prints it: core's diff, each task also named by its command-line address. */
export function diffDocument(diff: TraceDiff, a: string, b: string): unknown {
  const first = firstDivergence(diff);
  return {
    a,
    b,
    same: diff.same,
    firstDivergence: first ? formatAddress(first) : null,
    firstDivergencePath: first ?? null,
    ...(diff.input ? { input: diff.input } : {}),
    tasks: diff.tasks.map((task) => ({ task: formatAddress(task.taskPath), ...task })),
  };
}

/**
 * Where the runs part ways: core's first differing task, or, when that is a GraphTask whose nested tasks
 * differ, the first of those (recursively), since a GraphTask differs because a task inside it does.
 */
export function firstDivergence(diff: TraceDiff): string[] | undefined {
  let first = diff.firstDivergence;
  if (!first) return undefined;
  for (const task of diff.tasks) {
    const path = task.taskPath;
    const inside = path.length > first.length && first.every((id, i) => path[i] === id);
    if (inside) first = path;
  }
  return first;
}
