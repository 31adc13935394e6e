import { readFile, writeFile } from 'node:fs/promises';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { blockingTrace, chainTrace, nestedTrace, schemaTrace, tempDir } from '../../test/fixtures.js';
import { followEvents, request } from '../../test/http-client.js';
import type { DiffResponse, EditResponse, PlanResponse, ReplayResponse } from '../api-types.js';
import type { Viewer } from './start-viewer.js';
import { startViewer } from './start-viewer.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  make: (dir: string) => Promise<{ path: string; registry?: FunctionRegistry }>,
  withRegistry = true,
) {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  const { path, registry } = await make(temp.dir);
  const viewer: Viewer = await startViewer({
    tracePath: path,
    ...(withRegistry && registry ? { registry } : {}),
  });
  cleanups.push(viewer.close);
  const api = (route: string) => new URL(route, viewer.url).href;
  return { path, api, viewer };
}

describe('the viewer API', () => {
  it('answers a broken trace with INVALID_TRACE and the JSON path of the problem', async () => {
    const { path, api } = await serve(chainTrace);
    const trace = JSON.parse(await readFile(path, 'utf8'));
    trace.graph.tasks[1].deps = 'a';
    await writeFile(path, JSON.stringify(trace));
    const answer = await request(api('/api/trace'));
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_TRACE', path: '$.graph.tasks[1].deps' });
  });

  it('serves the file as it is now: a hand edit after a request shows in the trace and the plan', async () => {
    const { path, api } = await serve(chainTrace);
    const first = await request<{ trace: { graph: { tasks: Array<{ output: number }> } } }>(
      api('/api/trace'),
    );
    expect(first.json.trace.graph.tasks[1]?.output).toBe(2);
    expect((await request<PlanResponse>(api('/api/plan'))).json.plan.counts.rerun).toBe(0);
    const trace = JSON.parse(await readFile(path, 'utf8'));
    trace.graph.tasks[1].output = 20;
    await writeFile(path, JSON.stringify(trace));
    const second = await request<{ trace: { graph: { tasks: Array<{ output: number }> } } }>(
      api('/api/trace'),
    );
    expect(second.json.trace.graph.tasks[1]?.output).toBe(20);
    // The edited output is kept; its dependent runs again.
    expect((await request<PlanResponse>(api('/api/plan'))).json.plan.counts.rerun).toBe(1);
  });

  it('plans an edit as a dry run and writes nothing; a real edit writes the trace and returns its plan', async () => {
    const { path, api } = await serve(chainTrace);
    const before = await readFile(path, 'utf8');
    const edit = { task: ['a'], field: 'output', value: 10 };
    const dry = await request<EditResponse>(api('/api/edit'), { body: { ...edit, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.json.saved).toBe(false);
    expect(dry.json.plan.tasks.map((task) => [task.taskPath.join(' > '), task.action])).toEqual([
      ['a', 'reuse'],
      ['b', 'rerun'],
      ['c', 'rerun'],
    ]);
    expect(await readFile(path, 'utf8')).toBe(before);

    const saved = await request<EditResponse>(api('/api/edit'), { body: edit });
    expect(saved.json.saved).toBe(true);
    expect(saved.json.plan.counts).toEqual({ reuse: 1, rerun: 2, recreate: 0 });
    expect(JSON.parse(await readFile(path, 'utf8')).graph.tasks[0].output).toBe(10);
    const plan = await request<PlanResponse>(api('/api/plan'));
    expect(plan.json.plan.counts).toEqual({ reuse: 1, rerun: 2, recreate: 0 });
  });

  it('edits the graph input: the tasks that read it, and what depends on them, re-run', async () => {
    const { path, api } = await serve(nestedTrace);
    const edit = await request<EditResponse>(api('/api/edit'), {
      body: { field: 'input', value: { words: ['x'] } },
    });
    expect(edit.status).toBe(200);
    const rerun = edit.json.plan.tasks
      .filter((task) => task.action === 'rerun')
      .map((task) => task.taskPath.join(' > '));
    expect(rerun).toEqual(['prepare', 'inner', 'inner > a', 'inner > b', 'flaky', 'after']);
    expect(JSON.parse(await readFile(path, 'utf8')).graph.input).toEqual({ words: ['x'] });
  });

  it('refuses an edit that fails the schema, or is malformed, with its code, and writes nothing', async () => {
    const { path, api } = await serve(schemaTrace);
    const before = await readFile(path, 'utf8');
    const refusal = async (body: unknown) => {
      const answer = await request(api('/api/edit'), { body });
      return [answer.status, answer.json.error.code];
    };
    expect(await refusal({ task: ['tags'], field: 'output', value: ['red', 42] })).toEqual([
      400,
      'OUTPUT_INVALID',
    ]);
    expect(await refusal({ task: ['tags'], field: 'response', value: 'text' })).toEqual([
      400,
      'INVALID_ARGUMENT',
    ]);
    expect(await refusal({ task: ['nope'], field: 'output', value: 1 })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await refusal({ task: ['tags'], field: 'colour', value: 1 })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await refusal({ task: ['tags'], field: 'output' })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('replays with the registry, streams each run event, writes the result and diffs it against the run before', async () => {
    const { path, api, viewer } = await serve(chainTrace);
    const events = followEvents(viewer.url);
    cleanups.push(async () => events.close());
    await events.waitFor('snapshot');
    await request(api('/api/edit'), { body: { task: ['a'], field: 'output', value: 10 } });
    const started = await request<ReplayResponse>(api('/api/replay'), { body: {} });
    expect(started.json).toEqual({ running: true });
    const end = await events.waitFor('replay:end');
    expect(end.status).toBe('done');
    const seen = events.updates.flatMap((update) =>
      update.type === 'event' && 'taskPath' in update.event && update.event.type.startsWith('task:')
        ? [`${update.event.type} ${update.event.taskPath.join(' > ')}`]
        : [],
    );
    expect(seen).toEqual(['task:reused a', 'task:start b', 'task:done b', 'task:start c', 'task:done c']);
    const trace = JSON.parse(await readFile(path, 'utf8'));
    expect(trace.graph.tasks.map((task: { output: unknown }) => task.output)).toEqual([10, 11, 12]);
    const diff = await request<DiffResponse>(api('/api/diff'));
    expect(
      diff.json.diff.tasks.map((task) => [task.taskPath.join(' > '), task.fields.map((f) => f.field)]),
    ).toEqual([
      ['a', ['output']],
      ['b', ['output']],
      ['c', ['output']],
    ]);
  });

  it('stops a replay: the task in flight is cancelled, and the trace is written', async () => {
    const { path, api, viewer } = await serve(blockingTrace);
    const events = followEvents(viewer.url);
    cleanups.push(async () => events.close());
    await request(api('/api/replay'), { body: {} });
    await new Promise<void>((resolve) => {
      const check = () =>
        events.updates.some(
          (u) => u.type === 'event' && u.event.type === 'task:start' && u.event.taskPath[0] === 'block',
        )
          ? resolve()
          : setTimeout(check, 10);
      check();
    });
    const busyEdit = await request(api('/api/edit'), {
      body: { task: ['first'], field: 'output', value: 'x' },
    });
    expect([busyEdit.status, busyEdit.json.error.code]).toEqual([409, 'RUN_IN_PROGRESS']);
    const again = await request(api('/api/replay'), { body: {} });
    expect([again.status, again.json.error.code]).toEqual([409, 'RUN_IN_PROGRESS']);

    await request(api('/api/stop'), { body: {} });
    const end = await events.waitFor('replay:end');
    expect(end.status).toBe('cancelled');
    expect(end.error?.code).toBe('CANCELLED');
    // The explicit form of the file (a version 2 file leaves out status "done").
    const trace = TaskGraph.fromJSON(JSON.parse(await readFile(path, 'utf8'))).toJSON();
    expect(trace.run?.status).toBe('cancelled');
    expect(trace.graph.tasks.map((task) => task.status)).toEqual(['done', 'cancelled']);
  });

  it('refuses a replay without a registry, and a diff before any replay', async () => {
    const { api } = await serve(chainTrace, false);
    const replay = await request(api('/api/replay'), { body: {} });
    expect([replay.status, replay.json.error.code]).toEqual([409, 'NO_REGISTRY']);
    const diff = await request(api('/api/diff'));
    expect([diff.status, diff.json.error.code]).toEqual([404, 'NO_PREVIOUS_RUN']);
  });

  it('refuses a replay whose functions the registry lacks, before anything runs', async () => {
    const { api } = await serve(async (dir) => ({
      ...(await chainTrace(dir)),
      registry: new FunctionRegistry(),
    }));
    const replay = await request(api('/api/replay'), { body: {} });
    expect([replay.status, replay.json.error.code]).toEqual([409, 'UNKNOWN_FUNCTION']);
  });
});
