import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEPTH_LIMIT,
  DiskResponseCache,
  editTrace,
  FunctionRegistry,
  loadTrace,
  planReplay,
  saveTrace,
  TaskGraph,
  type TaskGraphError,
} from '../src/index.js';
import { removeStaleTempFiles } from '../src/internal.js';
import type { RawJson } from './helpers.js';
import { echoHandler, rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

/** The error `fn` throws (or its promise rejects with), for assertions on its code and path. */
async function failure(fn: () => unknown): Promise<TaskGraphError & { path?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as TaskGraphError & { path?: string };
  }
  throw new Error('expected a failure');
}

function nestedArray(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A one-task trace (task "a", function "one") as raw JSON, to edit the way a user edits the file. */
async function oneTask(output: unknown = 1): Promise<RawJson> {
  const registry = new FunctionRegistry();
  registry.register('one', () => output);
  const graph = new TaskGraph();
  graph.addFunction({ id: 'a', fn: 'one' });
  await graph.run(registry);
  return rawTrace(graph.toJSON());
}

function graphsNested(levels: number): TaskGraph {
  let graph = new TaskGraph();
  graph.addFunction({ id: 'leaf', fn: 'one' });
  for (let i = 0; i < levels; i++) {
    const outer = new TaskGraph();
    outer.addGraph({ id: `g${i}`, graph });
    graph = outer;
  }
  return graph;
}

/** A trace of graphs nested `levels` deep, written as JSON directly (the engine refuses to build it). */
function nestedTraceJson(levels: number): RawJson {
  let graph: RawJson = { tasks: [{ id: 'leaf', kind: 'function', fn: 'one', status: 'pending' }] };
  for (let i = 0; i < levels; i++) {
    graph = { tasks: [{ id: `g${i}`, kind: 'graph', inputFn: 'builtin.input', status: 'pending', graph }] };
  }
  return { format: 'taskgraph-trace', version: 1, graph };
}

describe('the depth limit', () => {
  it('a run of graphs nested to the limit saves a trace that loads and plans', async () => {
    const registry = new FunctionRegistry();
    registry.register('one', () => 1);
    const graph = graphsNested(DEPTH_LIMIT);
    await graph.run(registry);
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-depth-'));
    await saveTrace(graph, join(dir, 'trace.json'));
    const plan = planReplay(await loadTrace(join(dir, 'trace.json')), registry);
    expect(plan.counts.rerun).toBe(0);
  });

  it('maxDepth past the limit is refused, and so is nesting a graph one level past it', async () => {
    const registry = new FunctionRegistry();
    registry.register('one', () => 1);
    const error = await failure(() => new TaskGraph().run(registry, { maxDepth: DEPTH_LIMIT + 1 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    const deepest = graphsNested(DEPTH_LIMIT);
    expect((await failure(() => new TaskGraph().addGraph({ id: 'over', graph: deepest }))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('a file with graphs nested past the limit is INVALID_TRACE naming the graph, not a stack overflow', async () => {
    for (const levels of [DEPTH_LIMIT + 1, 5_000]) {
      const error = await failure(() => TaskGraph.fromJSON(nestedTraceJson(levels)));
      expect(error.code).toBe('INVALID_TRACE');
      expect(error.path).toMatch(/^\$\.graph(\.tasks\[0\]\.graph)+$/);
    }
  });

  it('a value nested thousands deep in a file is INVALID_TRACE naming where', async () => {
    const trace = await oneTask();
    trace.graph.tasks[0].output = nestedArray(5_000);
    const error = await failure(() => TaskGraph.fromJSON(trace));
    expect(error.code).toBe('INVALID_TRACE');
    expect(error.path).toMatch(/^\$\.graph\.tasks\[0\]\.output(\[0\])+$/);
  });

  it('a run output nested past the limit is stored marked lossy, and the trace loads and replays', async () => {
    const registry = new FunctionRegistry();
    registry.register('deep', () => nestedArray(5_000));
    registry.register('next', (_ctx, value: unknown) => Array.isArray(value));
    const graph = new TaskGraph();
    const deep = graph.addFunction({ id: 'deep', fn: 'deep' });
    graph.addFunction({ id: 'next', fn: 'next', deps: [deep] });
    await graph.run(registry);
    const record = graph.toJSON().graph.tasks[0];
    expect(record?.meta?.output).toMatchObject({ lossy: expect.stringContaining('deeper than') });
    const loaded = TaskGraph.fromJSON(rawTrace(graph.toJSON()));
    expect(planReplay(loaded, registry).counts.rerun).toBe(0);
  });

  it('an error cause chain thousands long is INVALID_TRACE naming the cause', async () => {
    const trace = await oneTask();
    let error: RawJson = { name: 'Error', message: 'root' };
    for (let i = 0; i < 5_000; i++) error = { name: 'Error', message: `level ${i}`, cause: error };
    Object.assign(trace.graph.tasks[0], { status: 'failed', error });
    const thrown = await failure(() => TaskGraph.fromJSON(trace));
    expect(thrown.code).toBe('INVALID_TRACE');
    expect(thrown.path).toMatch(/^\$\.graph\.tasks\[0\]\.error(\.cause)+$/);
  });

  it('a zod schema whose JSON Schema would nest past the limit is refused when the task is added', async () => {
    let schema: z.ZodType = z.string();
    for (let i = 0; i < DEPTH_LIMIT; i++) schema = z.object({ inner: schema });
    const error = await failure(() => new TaskGraph().addFunction({ id: 'a', fn: 'one', schema }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('too deep');
  });

  it('editTrace refuses a value past the limit, naming where, and leaves the graph as it was', async () => {
    const graph = TaskGraph.fromJSON(await oneTask());
    const error = await failure(() =>
      editTrace(graph, { task: 'a', field: 'output', value: nestedArray(5_000) }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('deeper than');
    expect(graph.task('a')?.output?.value).toBe(1);
  });
});

describe('schemas stored in a trace', () => {
  it('a $ref that points at itself is INVALID_TRACE naming it', async () => {
    for (const [schema, path] of [
      [{ $ref: '#' }, '$.graph.tasks[0].schema'],
      [
        { $ref: '#/$defs/a', $defs: { a: { anyOf: [{ $ref: '#/$defs/a' }] } } },
        '$.graph.tasks[0].schema.$defs.a.anyOf[0]',
      ],
    ] as const) {
      const trace = await oneTask();
      trace.graph.tasks[0].schema = schema;
      const error = await failure(() => TaskGraph.fromJSON(trace));
      expect([error.code, error.path]).toEqual(['INVALID_TRACE', path]);
    }
  });

  it('a recursive schema that reads into the value is kept', async () => {
    const trace = await oneTask({ next: { next: null } });
    trace.graph.tasks[0].schema = {
      $ref: '#/$defs/node',
      $defs: {
        node: {
          type: 'object',
          properties: { next: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/node' }] } },
        },
      },
    };
    expect(TaskGraph.fromJSON(trace).task('a')?.output?.value).toEqual({ next: { next: null } });
    trace.graph.tasks[0].output = { next: 3 };
    expect((await failure(() => TaskGraph.fromJSON(trace))).code).toBe('INVALID_TRACE');
  });

  it('a catastrophic pattern from a file never runs; the program checks its own pattern when it runs', async () => {
    const registry = new FunctionRegistry();
    registry.register('text', () => 'aa');
    const schema = z.string().regex(/^(a+)+$/);
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: 'text', schema });
    await graph.run(registry);
    const trace = rawTrace(graph.toJSON());
    trace.graph.tasks[0].output = `${'a'.repeat(64)}!`;
    // A backtracking regex would take longer than the test runs; the loader runs none from the file.
    const loaded = TaskGraph.fromJSON(trace);
    expect(loaded.task('a')?.output?.value).toBe(`${'a'.repeat(64)}!`);
    expect(trace.graph.tasks[0].schema.pattern).toBe('^(a+)+$');
    // Checks other than patterns still hold.
    trace.graph.tasks[0].output = 42;
    expect((await failure(() => TaskGraph.fromJSON(trace))).code).toBe('INVALID_TRACE');
    // The program's schema (in code) checks what its task produces.
    registry.register('bad', () => 'b');
    const again = new TaskGraph();
    again.addFunction({ id: 'b', fn: 'bad', schema });
    expect((await failure(() => again.run(registry))).code).toBe('TASK_FAILED');
  });
});

describe('fields the loader uses', () => {
  it('annotations that are not annotations are INVALID_TRACE at meta.<stage>', async () => {
    for (const meta of [
      {},
      null,
      42,
      { values: ['Nope'] },
      { values: { '__proto__.polluted': ['undefined'] } },
    ]) {
      const trace = await oneTask({ a: 1 });
      trace.graph.tasks[0].meta = { output: meta };
      const error = await failure(() => TaskGraph.fromJSON(trace));
      expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0].meta.output']);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a task record that is null, a number or a list is INVALID_TRACE at that record', async () => {
    for (const record of [null, 42, 'a', ['a']]) {
      const trace = await oneTask({ a: 1 });
      trace.graph.tasks[0] = record;
      const error = await failure(() => TaskGraph.fromJSON(trace));
      expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0]']);
    }
  });

  it('a hand-edited response of null or 42 is INVALID_TRACE at its response', async () => {
    const t = trackingRegistry();
    const graph = new TaskGraph();
    graph.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, handler: 'scripted' });
    await graph.run(t.registry);
    for (const response of [null, 42, ['text'], { role: 'user', content: 'hi' }]) {
      const trace = rawTrace(graph.toJSON());
      trace.graph.tasks[0].response = response;
      const error = await failure(() => TaskGraph.fromJSON(trace));
      expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0].response']);
    }
    const trace = rawTrace(graph.toJSON());
    trace.graph.tasks[0].prompt = 42;
    expect((await failure(() => TaskGraph.fromJSON(trace))).path).toBe('$.graph.tasks[0].prompt');
  });

  it('"__proto__" as a named dependency or a param is refused, in a spec and in a file', async () => {
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: 'one' });
    const named = JSON.parse('{"__proto__": "a"}');
    expect((await failure(() => graph.addFunction({ id: 'b', fn: 'one', namedDeps: named }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const params = JSON.parse('{"__proto__": {"model": "x"}}');
    expect(
      (await failure(() => graph.addLLM({ id: 'c', prompt: 'p', parser: 'q', handler: 'h', params }))).code,
    ).toBe('INVALID_ARGUMENT');
    graph.addFunction({ id: 'b', fn: 'one', namedDeps: { x: a } });
    const text = JSON.stringify(graph.toJSON()).replace('"x":"a"', '"__proto__":"a"');
    const error = await failure(() => TaskGraph.fromJSON(JSON.parse(text)));
    expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[1].namedDeps["__proto__"]']);
  });

  it('a prompt formatter may return one message; one that returns no prompt fails its task with a typed error', async () => {
    const registry = new FunctionRegistry();
    const handler = echoHandler();
    registry.addHandler(handler);
    registry.register('one-message', () => ({ role: 'user', content: 'hello' }));
    registry.register('number', () => 42);
    registry.register('text', (_ctx, reply: { content: string }) => reply.content);
    const graph = new TaskGraph();
    graph.addLLM({ id: 'ok', prompt: 'one-message', parser: 'text', handler: 'scripted' });
    graph.addLLM({ id: 'bad', prompt: 'number', parser: 'text', handler: 'scripted' });
    const error = await failure(() => graph.run(registry, { continueOnError: true }));
    expect(error.code).toBe('TASK_FAILED');
    const records = error.trace?.graph.tasks ?? [];
    expect(records[0]).toMatchObject({ status: 'done', prompt: [{ role: 'user', content: 'hello' }] });
    expect(records[1]).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_INVALID' } });
    expect(handler.requests).toHaveLength(1);
  });
});

describe('values a run cannot save as they are', () => {
  it('a function, a symbol or a cycle: the run succeeds and its trace on disk loads back', async () => {
    const registry = new FunctionRegistry();
    registry.register('fn', () => () => 1);
    registry.register('symbol', () => Symbol('s'));
    registry.register('cycle', () => {
      const value: Record<string, unknown> = { name: 'loop' };
      value.self = value;
      return value;
    });
    const graph = new TaskGraph();
    for (const fn of ['fn', 'symbol', 'cycle']) graph.addFunction({ id: fn, fn });
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-unsaveable-'));
    const path = join(dir, 'trace.json');
    await graph.run(registry, { trace: path });
    const loaded = await loadTrace(path);
    const meta = (id: string) => loaded.toJSON().graph.tasks.find((t) => t.id === id)?.meta?.output;
    expect(meta('fn')).toMatchObject({ lossy: expect.stringContaining('function') });
    expect(meta('symbol')).toMatchObject({ lossy: expect.stringContaining('symbol') });
    const cycle = loaded.task('cycle')?.output?.value as Record<string, unknown>;
    expect(cycle.self).toBe(cycle);
    expect(planReplay(loaded, registry).counts.rerun).toBe(0);
  });

  it('cyclic args or graph input are INVALID_ARGUMENT naming where the cycle is', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const graph = new TaskGraph();
    const args = await failure(() =>
      graph.addFunction({ id: 'a', fn: 'one', args: { list: [cyclic] } as never }),
    );
    expect(args.code).toBe('INVALID_ARGUMENT');
    expect(args.message).toContain('.list[0].self');
    expect((await failure(() => new TaskGraph({ input: cyclic }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(() => graph.setInput(cyclic))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('saving a trace document', () => {
  it('an invalid document in the file form is INVALID_TRACE naming the field, and nothing is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-save-'));
    const document = { format: 'taskgraph-trace', version: 2, graph: { tasks: [{ id: 'a', fn: 7 }] } };
    const error = await failure(() => saveTrace(document as never, join(dir, 'trace.json')));
    expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0].fn']);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('temporary files of atomic writes', () => {
  it('a save removes those a killed writer left, and only those', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-tmp-'));
    const path = join(dir, 'trace.json');
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const old = new Date(Date.now() - 10 * 60_000);
    const files = {
      stale: `trace.json.${dead}.0badf00d.tmp`,
      recent: `trace.json.${dead}.1badf00d.tmp`,
      live: `trace.json.${process.ppid}.2badf00d.tmp`,
      otherFile: `other.json.${dead}.3badf00d.tmp`,
      notOurs: `trace.json.${dead}.tmp`,
    };
    for (const [key, name] of Object.entries(files)) {
      await writeFile(join(dir, name), 'partial');
      if (key !== 'recent') await utimes(join(dir, name), old, old);
    }
    await saveTrace(await oneTaskGraph(), path);
    const left = (await readdir(dir)).sort();
    expect(left).toEqual(['trace.json', files.recent, files.live, files.otherFile, files.notOurs].sort());
    expect(await removeStaleTempFiles(path)).toEqual([]);
  });

  it('a disk response cache removes those of its folder once, on its first write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-cache-tmp-'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const old = new Date(Date.now() - 10 * 60_000);
    const stale = `abc.json.${dead}.0badf00d.tmp`;
    const other = 'notes.txt';
    for (const name of [stale, other]) {
      await writeFile(join(dir, name), 'partial');
      await utimes(join(dir, name), old, old);
    }
    await new DiskResponseCache(dir).set('key', { message: { role: 'assistant', content: 'hi' } });
    expect((await readdir(dir)).sort()).toEqual(['key.json', other].sort());
  });
});

async function oneTaskGraph(): Promise<TaskGraph> {
  return TaskGraph.fromJSON(await oneTask());
}

describe('LLM calls in a replay plan', () => {
  it('are an exact count when nothing is uncertain, else a range covering upstream re-runs and re-created tasks', async () => {
    const t = trackingRegistry();
    const make = t.registry.register('make', (ctx, _source: string) => {
      ctx.addLLM({ id: 'child', prompt: t.prompt, parser: t.parse, handler: 'scripted' });
      return 'made';
    });
    const graph = new TaskGraph();
    const source = graph.addFunction({ id: 'source', fn: t.node });
    graph.addLLM({ id: 'edited', prompt: t.prompt, parser: t.parse, handler: 'scripted' });
    graph.addLLM({
      id: 'downstream',
      prompt: t.prompt,
      parser: t.parse,
      handler: 'scripted',
      deps: [source],
    });
    graph.addFunction({ id: 'maker', fn: make, deps: [source] });
    await graph.run(t.registry);
    const unchanged = planReplay(TaskGraph.fromJSON(rawTrace(graph.toJSON())), t.registry);
    expect(unchanged.llmCallRange).toEqual({ min: 0, max: 0 });
    const edited = TaskGraph.fromJSON(rawTrace(graph.toJSON()));
    editTrace(edited, { task: 'edited', field: 'prompt', value: 'a new prompt' });
    expect(planReplay(edited, t.registry).llmCallRange).toEqual({ min: 1, max: 1 });
    editTrace(edited, { task: 'source', field: 'output', value: 'another value' });
    const plan = planReplay(edited, t.registry);
    // edited: certain; downstream: only if its prompt changes; maker's child: re-created.
    expect(plan.llmCallRange).toEqual({ min: 1, max: 3 });
    t.take();
    await edited.run(t.registry);
    const calls = t.take().llmCalls.length;
    expect(calls).toBeGreaterThanOrEqual(plan.llmCallRange.min);
    expect(calls).toBeLessThanOrEqual(plan.llmCallRange.max);
  });
});

describe('journals', () => {
  async function traceWithJournal(journal: string, trace?: string) {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-journal-'));
    const path = join(dir, 'trace.json');
    await writeFile(path, trace ?? JSON.stringify(await oneTask()));
    await writeFile(`${path}.journal`, journal);
    const before = [await readFile(path, 'utf8'), journal];
    const error = await failure(() => loadTrace(path));
    expect([await readFile(path, 'utf8'), await readFile(`${path}.journal`, 'utf8')]).toEqual(before);
    return { error, path };
  }

  it('a line that is not a record or a drop is INVALID_TRACE naming the line', async () => {
    for (const [line, suffix] of [
      ['{}', ':1.path'],
      ['null', ':1'],
      ['{"path":["a"]}', ':1'],
      ['{"path":["a"],"record":{"id":"b","kind":"function","fn":"one","status":"done"}}', ':1.record.id'],
      ['{"path":["a"],"record":{"id":"a","kind":"function","status":"done"}}', ':1.record.fn'],
      ['{"path":["a"],"task":{"id":"b","fn":"one"}}', ':1.task.id'],
      ['{"path":["a"],"task":{"id":"a","fn":"one","at":"soon"}}', ':1.task.at'],
      [
        '{"path":["a"],"task":{"id":"a","fn":"one"},"record":{"id":"a","kind":"function","fn":"one","status":"done"}}',
        ':1',
      ],
      ['{"path":["nope","a"],"drop":true}', ':1.path'],
    ]) {
      const { error, path } = await traceWithJournal(`${line}\n{"path":["a"],"drop":true}\n`);
      expect([error.code, error.path]).toEqual(['INVALID_TRACE', `${path}.journal${suffix}`]);
    }
  });

  it('a journal beside a trace with no task list is INVALID_TRACE naming the trace, and both files stay', async () => {
    const { error } = await traceWithJournal('{"path":["a"],"drop":true}\n', '{"format":"taskgraph-trace"}');
    expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks']);
  });
});
