import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TraceDocument } from '@taskgraph/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, QUICKSTART, taskgraph, tempDir } from '../test/cli-process.js';

interface PlanTask {
  task: string;
  action: 'reuse' | 'rerun' | 'recreate';
  reason: string;
}
interface RunDocument {
  status: string;
  output: Record<string, string[]>;
  summary: { ran: string[]; llmCalls: string[]; tasks: Record<string, number> };
}
interface ReplayDocument extends RunDocument {
  plan: { tasks: PlanTask[]; counts: Record<string, number> };
}

/** The task and every task that depends on it, directly or not (tasks it created included). */
function cone(document: TraceDocument, id: string): string[] {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const task of document.graph.tasks) {
      const upstream = [...(task.deps ?? []), ...Object.values(task.namedDeps ?? {}), task.createdBy ?? ''];
      if (!found.has(task.id) && upstream.some((dep) => found.has(dep))) {
        found.add(task.id);
        grew = true;
      }
    }
  }
  return [...found].sort();
}

describe('taskgraph run, edit and replay on the quickstart', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let trace: string;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    trace = join(dir, 'quickstart.json');
  });
  afterAll(() => remove());

  it('runs the quickstart offline through its module, printing the output and saving the trace', async () => {
    const result = await taskgraph(['run', QUICKSTART, '--trace', trace, '--json']);
    expect(result.code).toBe(0);
    const run = json<RunDocument>(result);
    expect(run.status).toBe('done');
    expect(Object.keys(run.output)).toEqual(['fruits', 'colors', 'animals']);
    expect(run.summary.llmCalls.sort()).toEqual(['list-0', 'list-1', 'list-2', 'suggest/pick']);
    expect((await taskgraph(['validate', trace])).code).toBe(0);
  });

  it('runs again with zero LLM calls: the trace answers everything', async () => {
    const run = json<RunDocument>(await taskgraph(['run', QUICKSTART, '--trace', trace, '--json']));
    expect(run.summary.ran).toEqual([]);
    expect(run.summary.llmCalls).toEqual([]);
  });

  it('edits a response, then replays exactly the edited task’s cone, calling the LLM only inside it', async () => {
    const edit = await taskgraph(['edit', trace, 'list-1', 'response', '"teal\\ncoral"', '--json']);
    expect(edit.code).toBe(0);
    const document = JSON.parse(await readFile(trace, 'utf8')) as TraceDocument;
    const expected = cone(document, 'list-1');
    expect(expected).toEqual(['join', 'list-1', 'suggest', 'suggest/pick']);

    const editPlan = json<ReplayDocument>(edit).plan;
    const dry = await taskgraph(['replay', trace, '--registry', QUICKSTART, '--dry-run', '--json']);
    expect(json<ReplayDocument>(dry).plan).toEqual(editPlan);

    const result = await taskgraph(['replay', trace, '--registry', QUICKSTART, '--json']);
    expect(result.code).toBe(0);
    const replay = json<ReplayDocument>(result);
    const planned = replay.plan.tasks.filter((task) => task.action !== 'reuse');
    expect(planned.map((task) => task.task).sort()).toEqual(expected);
    expect(planned.every((task) => task.reason !== '')).toBe(true);
    expect([...replay.summary.ran].sort()).toEqual(expected);
    // list-1 re-parses its edited response without a call; the pick's prompt changed, so it calls.
    expect(replay.summary.llmCalls).toEqual(['suggest/pick']);
    expect(replay.output.colors).toEqual(['teal', 'coral']);
  });

  it('a dry run leaves the trace as it was', async () => {
    const before = await readFile(trace, 'utf8');
    const result = await taskgraph(['replay', trace, '--dry-run', '--rerun', 'join', '--json']);
    expect(result.code).toBe(0);
    const plan = json<ReplayDocument>(result).plan;
    expect(plan.tasks.find((task) => task.task === 'join')?.action).toBe('rerun');
    expect(await readFile(trace, 'utf8')).toBe(before);
  });

  it('--rerun with a function id re-runs every task that uses it, and --out keeps the input trace', async () => {
    const out = join(dir, 'rerun.json');
    const before = await readFile(trace, 'utf8');
    const result = await taskgraph([
      'replay',
      trace,
      '--registry',
      QUICKSTART,
      '--rerun',
      'parseList',
      '--out',
      out,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const replay = json<ReplayDocument>(result);
    expect(replay.summary.llmCalls).toEqual([]);
    expect(replay.summary.ran).toEqual(expect.arrayContaining(['list-0', 'list-1', 'list-2']));
    expect(await readFile(trace, 'utf8')).toBe(before);
    expect((await taskgraph(['validate', out])).code).toBe(0);
  });
});
