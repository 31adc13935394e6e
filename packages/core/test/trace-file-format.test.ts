import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskGraphError } from '../src/index.js';
import { loadTrace, saveTrace, TaskGraph, TRACE_FILE_VERSION } from '../src/index.js';
import { readTraceGraph } from '../src/internal.js';
import { readTraceFileInto } from '../src/store/trace-file-reader.js';
import { traceJsonSchema } from '../src/trace/trace-json-schema.js';
import { TraceLoader } from '../src/trace/trace-loader.js';
import { rejection } from './helpers.js';
import { trackingRegistry } from './tracking.js';

const TRACES = join(import.meta.dirname, '../../../traces');

async function tempFile(name = 'trace.json'): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'taskgraph-v2-')), name);
}

/** A finished graph of every kind: function tasks, an LLM task, a nested graph, a failed task. */
async function finishedGraph() {
  const t = trackingRegistry();
  t.registry.register('boom', () => {
    throw new Error('boom');
  });
  const inner = new TaskGraph();
  inner.setOutput(inner.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, handler: 'scripted' }));
  const graph = new TaskGraph({ input: { when: new Date(0) } });
  const a = graph.addFunction({ id: 'a', fn: t.node });
  const b = graph.addFunction({ id: 'b', fn: t.node, deps: [a] });
  graph.addGraph({ id: 'sub', graph: inner, deps: [b] });
  graph.addFunction({ id: 'bad', fn: 'boom', deps: [a] });
  graph.setOutput(b);
  await graph.run(t.registry, { continueOnError: true }).catch(() => undefined);
  t.take();
  return { graph, t };
}

/** The task lines of a written file: what sits between `"tasks": [` and its closing bracket. */
function taskLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(lines.indexOf('    "tasks": [') + 1, lines.lastIndexOf('    ]'));
}

describe('trace files, format version 2', () => {
  it('puts each root task on its own line, leaves out what is implied, and writes a nested graph a task per line', async () => {
    const { graph } = await finishedGraph();
    const path = await tempFile();
    await saveTrace(graph, path);
    const text = await readFile(path, 'utf8');
    const document = JSON.parse(text);
    expect(document.version).toBe(TRACE_FILE_VERSION);
    expect(typeof document.timeOrigin).toBe('number');
    const lines = taskLines(text);
    const a = JSON.parse(lines[0]?.replace(/,$/, '') as string);
    expect(a).toMatchObject({ id: 'a', fn: 'node' });
    expect(a.kind).toBeUndefined();
    expect(a.status).toBeUndefined();
    expect(a.attempts).toBeUndefined();
    expect(typeof a.fp).toBe('string');
    expect(typeof a.at).toBe('number');
    // The graph task opens its nested graph on its line; the nested LLM task has a line of its own.
    const sub = lines.findIndex((line) => line.includes('"id":"sub"'));
    expect(lines[sub]?.endsWith('"tasks":[')).toBe(true);
    expect(JSON.parse(lines[sub + 1] as string)).toMatchObject({ id: 'ask', kind: 'llm' });
    expect(lines[sub + 2]).toBe('    ]}},');
    const bad = JSON.parse(lines.find((line) => line.includes('"id":"bad"')) as string);
    expect(bad).toMatchObject({ status: 'failed', error: { message: 'boom' } });
  });

  it('loads back to the same graph, replays with no call, and saves again to the same task lines', async () => {
    const { graph, t } = await finishedGraph();
    const path = await tempFile();
    await saveTrace(graph, path);
    const loaded = await loadTrace(path);
    const before = graph.toJSON();
    const after = loaded.toJSON();
    expect(after.graph.tasks.map((task) => [task.id, task.kind, task.status, task.attempts])).toEqual(
      before.graph.tasks.map((task) => [task.id, task.kind, task.status, task.attempts]),
    );
    expect(after.graph.tasks.map((task) => task.fingerprints)).toEqual(
      before.graph.tasks.map((task) => task.fingerprints),
    );
    for (const [i, task] of after.graph.tasks.entries()) {
      const original = before.graph.tasks[i];
      if (original?.startedAt !== undefined) expect(task.startedAt).toBeCloseTo(original.startedAt, 1);
    }
    const again = await tempFile();
    await saveTrace(loaded, again);
    expect((await loadTrace(again)).toJSON().graph).toEqual(after.graph);
    // The failed task is retried; everything else is reused.
    await loaded.run(t.registry, { continueOnError: true }).catch(() => undefined);
    expect(t.take()).toEqual({ ran: [], llmCalls: [] });
  });

  it('reads a hand-edited file in any layout, as one string or incrementally, to the same graph', async () => {
    const { graph } = await finishedGraph();
    const path = await tempFile();
    await saveTrace(graph, path);
    const expected = (await loadTrace(path)).toJSON().graph;
    const reformatted = await tempFile();
    await writeFile(reformatted, JSON.stringify(JSON.parse(await readFile(path, 'utf8')), null, 3));
    expect((await loadTrace(reformatted)).toJSON().graph).toEqual(expected);
    const sink = await readTraceFileInto(reformatted, 'test', () => new Collect(), { wholeTextBytes: 0 });
    expect(sink.finish().toJSON().graph).toEqual(expected);
  });

  it('names the JSON path of a bad field of a version 2 record, in the written layout and in any other', async () => {
    const { graph } = await finishedGraph();
    const path = await tempFile();
    await saveTrace(graph, path);
    const text = await readFile(path, 'utf8');
    const broken = text.replace(/"fp":"[^"]+"/, '"fp":42');
    await writeFile(path, broken);
    const error = (await rejection(loadTrace(path))) as TaskGraphError & { path: string };
    expect([error.code, error.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0].fp']);
    await writeFile(path, JSON.stringify(JSON.parse(broken)));
    const again = (await rejection(loadTrace(path))) as TaskGraphError & { path: string };
    expect([again.code, again.path]).toEqual(['INVALID_TRACE', '$.graph.tasks[0].fp']);
    await writeFile(path, text.replace('"handler":"scripted"', '"handler":7'));
    const inNested = (await rejection(loadTrace(path))) as TaskGraphError & { path: string };
    expect(inNested.path).toBe('$.graph.tasks[2].graph.tasks[0].handler');
  });

  it('is INVALID_TRACE at $ for a file that is not JSON, read as one string or incrementally', async () => {
    const path = await tempFile();
    await writeFile(path, '{"format": "taskgraph-trace", "version": 2, "graph": {"tasks": [');
    expect((await rejection(loadTrace(path))).code).toBe('INVALID_TRACE');
    const error = await rejection(
      readTraceFileInto(path, 'test', () => new Collect(), { wholeTextBytes: 0 }),
    );
    expect([error.code, (error as TaskGraphError & { path: string }).path]).toEqual(['INVALID_TRACE', '$']);
  });

  it('takes records in any order, and names an unknown dependency or a cycle', async () => {
    const path = await tempFile();
    const head = '{\n  "format": "taskgraph-trace",\n  "version": 2,\n  "graph": {\n    "tasks": [\n';
    const write = (lines: string[]) => writeFile(path, `${head}${lines.join(',\n')}\n    ]\n  }\n}\n`);
    await write([
      '    {"id":"b","fn":"f","deps":["a"],"output":2}',
      '    {"id":"a","fn":"f","output":1,"status":"pending"}',
    ]);
    const graph = await loadTrace(path);
    expect([...graph.tasks()].map((task) => [task.id, task.status])).toEqual([
      ['a', 'pending'],
      ['b', 'done'],
    ]);
    await write(['    {"id":"b","fn":"f","deps":["a"]}', '    {"id":"c","fn":"f","deps":["zz"]}']);
    expect(((await rejection(loadTrace(path))) as TaskGraphError & { path: string }).path).toBe(
      '$.graph.tasks[0].deps[0]',
    );
    await write(['    {"id":"a","fn":"f","deps":["b"]}', '    {"id":"b","fn":"f","deps":["a"]}']);
    const cycle = (await rejection(loadTrace(path))) as TaskGraphError & { path: string };
    expect([cycle.code, cycle.path]).toEqual(['INVALID_TRACE', '$.graph.tasks']);
  });

  it('is accepted by the shipped JSON Schema, which refuses a hand edit that breaks a record', async () => {
    const { graph } = await finishedGraph();
    const path = await tempFile();
    await saveTrace(graph, path);
    const validator = z.fromJSONSchema(traceJsonSchema() as Parameters<typeof z.fromJSONSchema>[0]);
    const document = JSON.parse(await readFile(path, 'utf8'));
    expect(validator.safeParse(document).success).toBe(true);
    document.graph.tasks[2].graph.tasks[0].status = 'finished';
    expect(validator.safeParse(document).success).toBe(false);
  });

  it('reads version 1 names in a version 2 record as unknown fields, with or without the fast check', () => {
    const record = { id: 'a', fn: 'f', output: 1, fingerprints: { output: 'x' }, startedAt: 5 };
    const document = (extra: object) => ({
      format: 'taskgraph-trace',
      version: TRACE_FILE_VERSION,
      graph: { tasks: [{ ...record, ...extra }] },
    });
    // The first record has the common shape; the second (with `versions`) goes through zod.
    for (const extra of [{}, { versions: { output: '1' } }]) {
      const task = TaskGraph.fromJSON(document(extra)).task('a');
      expect([task?.fingerprints, task?.startedAt]).toEqual([{}, undefined]);
    }
  });

  it('keeps loading the committed version 1 traces', async () => {
    for (const name of ['quickstart', 'agent-loop', 'task-manager', 'task-queue']) {
      const path = join(TRACES, `${name}.json`);
      expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(1);
      const { graph, version } = await readTraceGraph(path, 'test', () => new TaskGraph());
      expect(version).toBe(1);
      expect([...graph.tasks()].length).toBeGreaterThan(0);
    }
  });
});

/** A sink that builds a graph, as loadTrace does. */
class Collect {
  #loader: TraceLoader | undefined;
  head(document: unknown): void {
    this.#loader = new TraceLoader(document, new TaskGraph());
  }
  record(record: unknown, index: number): void {
    this.#loader?.add(record, index);
  }
  finish(): TaskGraph {
    return this.#loader?.finish() as TaskGraph;
  }
}
