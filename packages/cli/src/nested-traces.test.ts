import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NESTED, taskgraph, tempDir } from '../test/cli-process.js';
import type { TreeNode } from './task-tree.js';

interface DiffTask {
  task: string;
  change: string;
  fields: Array<{ field: string }>;
}

describe('show, edit, replay and diff on a trace with a nested graph', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let trace: string;
  let original: string;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    trace = join(dir, 'nested.json');
    original = join(dir, 'original.json');
    const run = await taskgraph(['run', NESTED, '--trace', trace, '--quiet']);
    expect(run.code).toBe(0);
    await copyFile(trace, original);
  });
  afterAll(() => remove());

  it('show lists the nested graph’s tasks inside their GraphTask, with status, time, tokens and cost', async () => {
    const result = await taskgraph(['show', trace, '--json']);
    expect(result.code).toBe(0);
    const tree = json<{ tasks: TreeNode[] }>(result);
    expect(tree.tasks.map((node) => node.id)).toEqual(['topic', 'outline', 'sections', 'summary']);
    const sections = tree.tasks.find((node) => node.id === 'sections');
    expect(sections?.tasks?.map((node) => node.task)).toEqual(['sections>draft', 'sections>polish']);
    const draft = sections?.tasks?.[0];
    expect(draft).toMatchObject({ kind: 'llm', status: 'done', costUsd: 0 });
    expect(draft?.tokens).toBeGreaterThan(0);
    expect(sections?.tokens).toBe(draft?.tokens);
    expect(typeof draft?.durationMs).toBe('number');

    const text = await taskgraph(['show', trace]);
    expect(text.stdout).toMatch(/^ {2}draft\s+llm\s+done/m);
  });

  it('show --task prints one nested task in full', async () => {
    const result = await taskgraph(['show', trace, '--task', 'sections>draft', '--json']);
    expect(result.code).toBe(0);
    const shown = json<{ taskPath: string[]; record: Record<string, unknown> }>(result);
    expect(shown.taskPath).toEqual(['sections', 'draft']);
    expect(shown.record).toMatchObject({ kind: 'llm', status: 'done', attempts: 1 });
    expect(shown.record.prompt).toBeTypeOf('string');
    expect(shown.record.response).toMatchObject({ role: 'assistant' });
  });

  it('an edit of a nested response replays its cone only: no LLM call, the functions downstream', async () => {
    const edit = await taskgraph(['edit', trace, 'sections>draft', 'response', '"a new draft"']);
    expect(edit.code).toBe(0);
    const log = join(dir, 'calls.log');
    const result = await taskgraph(['replay', trace, '--registry', NESTED, '--json'], {
      TASKGRAPH_TEST_CALL_LOG: log,
    });
    expect(result.code).toBe(0);
    const replay = json<{
      plan: { tasks: Array<{ task: string; action: string }> };
      summary: { ran: string[] };
    }>(result);
    const rerun = replay.plan.tasks.filter((task) => task.action !== 'reuse').map((task) => task.task);
    expect(rerun.sort()).toEqual(['sections', 'sections>draft', 'sections>polish', 'summary']);
    // What the registry saw: the functions of the cone, and no LLM call (the draft's parser is built in).
    const calls = (await readFile(log, 'utf8')).trim().split('\n').sort();
    expect(calls).toEqual(['fn sections>polish', 'fn summary']);
    expect([...replay.summary.ran].sort()).toEqual([
      'sections',
      'sections>draft',
      'sections>polish',
      'summary',
    ]);
  });

  it('diff names what differs per nested task, and the first divergence', async () => {
    const result = await taskgraph(['diff', original, trace, '--json']);
    expect(result.code).toBe(0);
    const diff = json<{ same: boolean; firstDivergence: string; tasks: DiffTask[] }>(result);
    expect(diff.same).toBe(false);
    expect(diff.firstDivergence).toBe('sections>draft');
    const fields = Object.fromEntries(diff.tasks.map((task) => [task.task, task.fields.map((f) => f.field)]));
    expect(fields).toEqual({
      sections: ['output'],
      'sections>draft': ['response', 'output'],
      'sections>polish': ['output'],
      summary: ['output'],
    });
    const same = json<{ same: boolean }>(await taskgraph(['diff', original, original, '--json']));
    expect(same.same).toBe(true);
  });
});
