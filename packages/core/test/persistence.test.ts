import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, loadTrace, TaskGraph, TaskGraphError } from '../src/index.js';
import { journalPath } from '../src/store/journal-fold.js';
import { deferred } from './helpers.js';
import { trackingRegistry } from './tracking.js';

async function tempPath(name: string) {
  return join(await mkdtemp(join(tmpdir(), 'taskgraph-persist-')), name);
}

/** a, b → gate (held until released) → after */
function gatedGraph(t: ReturnType<typeof trackingRegistry>, gate: Promise<void>) {
  const hold = t.registry.register('hold', async (ctx, ...deps: unknown[]) => {
    await gate;
    return `${ctx.taskId}:${deps.length}`;
  });
  const graph = new TaskGraph();
  const a = graph.addFunction({ id: 'a', fn: t.node });
  const b = graph.addLLM({ id: 'b', prompt: t.prompt, handler: 'scripted' });
  const held = graph.addFunction({ id: 'held', fn: hold, deps: [a, b] as never });
  graph.setOutput(graph.addFunction({ id: 'after', fn: t.node, deps: [held] }));
  return graph;
}

describe('run with a trace file', () => {
  it('writes the trace and leaves no journal behind', async () => {
    const path = await tempPath('trace.json');
    const t = trackingRegistry();
    const release = deferred();
    release.resolve();
    const graph = gatedGraph(t, release.promise);
    const output = await graph.run(t.registry, { trace: path });
    expect(existsSync(journalPath(path))).toBe(false);
    const loaded = await loadTrace(path);
    expect(loaded.outputTask?.output?.value).toBe(output);
    expect(loaded.runInfo?.status).toBe('done');
  });

  it('journals finished work while running, and a copy taken mid-run resumes without repeating it', async () => {
    const path = await tempPath('trace.json');
    const t = trackingRegistry();
    const release = deferred();
    const graph = gatedGraph(t, release.promise);
    const running = graph.run(t.registry, { trace: path });
    const copy = await snapshotOnceJournaled(path, ['a', 'b']);
    release.resolve();
    const expected = await running;

    const fresh = trackingRegistry();
    const resumed = gatedGraph(fresh, Promise.resolve());
    expect(await resumed.run(fresh.registry, { trace: copy })).toBe(expected);
    const taken = fresh.take();
    expect(taken.llmCalls).toEqual([]);
    expect(taken.ran).toEqual(['after']);
    expect(existsSync(journalPath(copy))).toBe(false);
  });

  it('writes the journal while a long synchronous stretch of tasks goes on, not only when it ends', async () => {
    const path = await tempPath('trace.json');
    const registry = new FunctionRegistry();
    // Each task's line holds 2,000 characters; a hundred of them are more than the journal holds back.
    const big = registry.register(
      'big',
      (ctx, ..._previous: unknown[]) => `${ctx.taskId}:${'x'.repeat(2000)}`,
    );
    const size = registry.register('size', (_ctx, ..._previous: unknown[]) =>
      existsSync(journalPath(path)) ? statSync(journalPath(path)).size : 0,
    );
    const graph = new TaskGraph();
    let previous = graph.addFunction({ id: 'n0', fn: big });
    for (let i = 1; i < 100; i++) previous = graph.addFunction({ id: `n${i}`, fn: big, deps: [previous] });
    graph.setOutput(graph.addFunction({ id: 'size', fn: size, deps: [previous] }));
    // The chain runs in one turn of the event loop (synchronous functions): what the last task sees of
    // the journal was written during that turn.
    const written = (await graph.run(registry, { trace: path })) as number;
    expect(written).toBeGreaterThan(100_000);
    expect((await loadTrace(path)).task('n99')?.status).toBe('done');
  });

  it('loadTrace folds a journal left beside the file', async () => {
    const { copy, original } = await crashCopyOf();
    const loaded = await loadTrace(copy);
    expect(loaded.task('a')?.status).toBe('done');
    expect(loaded.task('b')?.status).toBe('done');
    expect(loaded.task('after')?.status).toBe('pending');
    expect(existsSync(journalPath(copy))).toBe(false);
    // Journal lines count their times from the run's start, as the file does: folded, they are the same.
    const finished = await loadTrace(original);
    for (const id of ['a', 'b']) {
      expect(loaded.task(id)?.startedAt).toBeGreaterThan(0);
      expect(loaded.task(id)?.startedAt).toBe(finished.task(id)?.startedAt);
    }
  });

  it('loadTrace with fold: false applies the journal in memory and leaves both files as they are', async () => {
    const copy = await crashCopy();
    const before = await readFile(copy, 'utf8');
    const loaded = await loadTrace(copy, { fold: false });
    expect(loaded.task('b')?.status).toBe('done');
    expect(await readFile(copy, 'utf8')).toBe(before);
    expect(existsSync(journalPath(copy))).toBe(true);
  });

  it('a failed run still writes its trace, with the error', async () => {
    const path = await tempPath('trace.json');
    const t = trackingRegistry();
    t.registry.register('boom', () => {
      throw new Error('boom');
    });
    const graph = new TaskGraph();
    graph.addFunction({ id: 'ok', fn: t.node });
    graph.addFunction({ id: 'boom', fn: 'boom' });
    await expect(graph.run(t.registry, { trace: path })).rejects.toBeInstanceOf(TaskGraphError);
    const loaded = await loadTrace(path);
    expect(loaded.task('boom')?.status).toBe('failed');
    expect(loaded.runInfo?.status).toBe('failed');
  });

  it('replay can write to another file, leaving the original record as it was', async () => {
    const original = await tempPath('original.json');
    const t = trackingRegistry();
    const graph = gatedGraph(t, Promise.resolve());
    await graph.run(t.registry, { trace: original });
    const before = await readFile(original, 'utf8');
    const replayed = await loadTrace(original);
    await replayed.run(t.registry, { trace: await tempPath('replay.json'), force: { tasks: ['a'] } });
    expect(await readFile(original, 'utf8')).toBe(before);
  });
});

/** A trace file and its journal as a crash would leave them: a and b (and b's LLM response) journaled, the rest not. */
async function crashCopy(): Promise<string> {
  return (await crashCopyOf()).copy;
}

/** crashCopy, with the trace of the run it copied (finished). */
async function crashCopyOf(): Promise<{ copy: string; original: string }> {
  const path = await tempPath('trace.json');
  const t = trackingRegistry();
  const release = deferred();
  const running = gatedGraph(t, release.promise).run(t.registry, { trace: path });
  const copy = await snapshotOnceJournaled(path, ['a', 'b']);
  release.resolve();
  await running;
  return { copy, original: path };
}

/** Waits until `ids` are journaled as done, then copies the trace and its journal as a crash would leave them. */
async function snapshotOnceJournaled(path: string, ids: string[]): Promise<string> {
  for (let i = 0; i < 200 && !(await journalHas(path, ids)); i++) await new Promise((r) => setTimeout(r, 5));
  const copy = await tempPath('copy.json');
  await copyFile(path, copy);
  await copyFile(journalPath(path), journalPath(copy));
  return copy;
}

async function journalHas(path: string, ids: string[]): Promise<boolean> {
  if (!existsSync(journalPath(path))) return false;
  const text = await readFile(journalPath(path), 'utf8');
  const done = new Set(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.task !== undefined && (entry.task.status ?? 'done') === 'done')
      .map((entry) => entry.path.join('>')),
  );
  return ids.every((id) => done.has(id));
}
