import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CORE_ERROR_CODES,
  DEPTH_LIMIT,
  type EditField,
  editTrace,
  type FunctionRegistry,
  loadTrace,
  planReplay,
  TaskGraph,
  TaskGraphError,
} from '../src/index.js';
import type { RawJson } from './helpers.js';
import { rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

// Hostile input as a user who hand-edits or receives traces makes it. Every property checks that the
// answer is a value or a typed error with a path, that Object.prototype is untouched and that files a
// failed load read are unchanged. A hang fails through the test's timeout: no check of elapsed time.

let base: RawJson;
let journalLines: string[];
let registry: FunctionRegistry;

beforeAll(async () => {
  const t = trackingRegistry();
  registry = t.registry;
  t.registry.register('when', () => new Date(0));
  t.registry.register('fails', () => {
    throw new Error('outer', { cause: new Error('inner') });
  });
  const inner = new TaskGraph();
  inner.addFunction({ id: 'leaf', fn: t.node });
  const graph = new TaskGraph({ input: { topic: 'tests' } });
  const a = graph.addFunction({ id: 'a', fn: t.node, args: { n: 1 } });
  graph.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, handler: 'scripted', deps: [a] });
  graph.addFunction({ id: 'when', fn: 'when' });
  graph.addFunction({ id: 'fails', fn: 'fails' });
  graph.addGraph({ id: 'nested', graph: inner });
  const dir = await mkdtemp(join(tmpdir(), 'taskgraph-fuzz-'));
  const path = join(dir, 'trace.json');
  await graph.run(t.registry, { continueOnError: true, trace: path }).catch(() => undefined);
  base = rawTrace(graph.toJSON());
  // Journal lines as a run writes them: one per task record.
  journalLines = base.graph.tasks.map((record: RawJson) => JSON.stringify({ path: [record.id], record }));
  await rm(dir, { recursive: true, force: true });
});

/** Every path to a value in `document` (keys and indexes). */
function paths(document: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[document, []]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, path] = next;
    out.push(path);
    if (path.length > 12) continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        stack.push([item, [...path, i]]);
      });
    } else if (node !== null && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) stack.push([value, [...path, key]]);
  }
  return out;
}

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/** Values a hostile file holds: any JSON, deep nesting, long cause chains, self-referring schemas, __proto__ keys. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: DEPTH_LIMIT - 2, max: 1_500 }).map((n) => nested(n, 1, (v) => [v])),
  fc.integer({ min: DEPTH_LIMIT - 2, max: 1_500 }).map((n) => nested(n, null, (v) => ({ a: v }))),
  fc
    .integer({ min: 1, max: 3_000 })
    .map((n) => nested(n, { name: 'E', message: 'm' }, (cause) => ({ name: 'E', message: 'm', cause }))),
  fc.integer({ min: DEPTH_LIMIT - 2, max: 1_000 }).map((n) =>
    nested(n, { tasks: [] }, (graph) => ({
      tasks: [{ id: 'g', kind: 'graph', inputFn: 'builtin.input', status: 'pending', graph }],
    })),
  ),
  fc.constantFrom<unknown>(
    null,
    {},
    [],
    '',
    42,
    { $ref: '#' },
    { type: 'string', pattern: '^(a+)+$' },
    { values: ['Date'] },
    { values: { '__proto__.polluted': ['undefined'] } },
    { lossy: 'why' },
    { role: 'assistant', content: null },
    `${'a'.repeat(40)}!`,
    { path: ['a'], drop: true },
  ),
  fc.constant(null).map(() => JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')),
);

const mutation = fc.record({
  pick: fc.nat(),
  value: hostileValue,
  remove: fc.boolean(),
  key: fc.option(fc.constantFrom('__proto__', 'constructor', 'meta', 'graph', 'cause', 'output'), {
    nil: undefined,
  }),
});

/** `document` with each mutation applied at a path picked among its current paths. */
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(document: RawJson, mutations: Mutation[]): RawJson {
  const copy = structuredClone(document);
  for (const { pick, value, remove, key } of mutations) {
    const all = paths(copy);
    const path = all[pick % all.length] as (string | number)[];
    if (path.length === 0) continue;
    let parent: RawJson = copy;
    for (const step of path.slice(0, -1)) parent = parent[step];
    const last = path[path.length - 1] as string | number;
    if (
      key !== undefined &&
      parent[last] !== null &&
      typeof parent[last] === 'object' &&
      !Array.isArray(parent[last])
    )
      Object.defineProperty(parent[last], key, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    else if (remove && !Array.isArray(parent)) delete parent[last];
    else parent[last] = value;
  }
  return copy;
}

function expectTypedWithPath(error: unknown): void {
  expect(error).toBeInstanceOf(TaskGraphError);
  const { code, path } = error as TaskGraphError & { path?: unknown };
  expect(CORE_ERROR_CODES).toContain(code);
  if (code === 'INVALID_TRACE') expect(path).toMatch(/^(\$|.+\.journal:\d+)/);
}

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

describe('trace loading, fuzzed', () => {
  it('a mutated trace loads (and saves what loads again) or is a typed error with a path', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const document = mutate(base, mutations);
        let graph: TaskGraph | undefined;
        try {
          graph = TaskGraph.fromJSON(document);
        } catch (error) {
          expectTypedWithPath(error);
        }
        if (graph) {
          try {
            planReplay(graph, registry);
          } catch (error) {
            expectTypedWithPath(error);
          }
          expect(() => TaskGraph.fromJSON(rawTrace(graph.toJSON()))).not.toThrow();
        }
        expectNoPollution();
      }),
      { numRuns: 200 },
    );
  });
});

describe('deep traces, fuzzed', () => {
  it('graphs, values and causes at any depth load within the limit and are refused past it, with a path', () => {
    const depth = fc.integer({ min: 0, max: 1_200 });
    fc.assert(
      fc.property(depth, depth, depth, (graphs, value, causes) => {
        const leaf = {
          id: 'leaf',
          kind: 'function',
          fn: 'one',
          status: 'failed',
          output: nested(value, 1, (v) => [v]),
          error: nested(causes, { name: 'E', message: 'm' }, (cause) => ({ name: 'E', message: 'm', cause })),
        };
        const graph = nested(graphs, { tasks: [leaf] }, (inner) => ({
          tasks: [{ id: 'g', kind: 'graph', inputFn: 'builtin.input', status: 'pending', graph: inner }],
        }));
        const within = graphs <= DEPTH_LIMIT && value <= DEPTH_LIMIT && causes <= DEPTH_LIMIT;
        try {
          const loaded = TaskGraph.fromJSON({ format: 'taskgraph-trace', version: 1, graph });
          planReplay(loaded);
          TaskGraph.fromJSON(rawTrace(loaded.toJSON()));
          expect(within).toBe(true);
        } catch (error) {
          expect(within).toBe(false);
          expect((error as TaskGraphError).code).toBe('INVALID_TRACE');
          expect((error as { path: string }).path).toMatch(
            /^\$\.graph(\.tasks\[0\]\.graph)*(\.tasks\[0\](\.output|\.error))?/,
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('journal folding, fuzzed', () => {
  const line = fc.oneof(
    fc.constantFrom(0, 1, 2, 3, 4).map((i) => () => journalLines[i % journalLines.length] as string),
    fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([i, mutations]) => () => {
      const entry = JSON.parse(journalLines[i % journalLines.length] as string);
      return JSON.stringify(mutate(entry, mutations));
    }),
    hostileValue.map((value) => () => JSON.stringify(value) ?? ''),
    fc.string().map((text) => () => text.replace(/\n/g, ' ')),
  );

  it('a journal of mutated lines folds, or is a typed error naming the line, leaving both files as they were', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-fuzz-journal-'));
    const path = join(dir, 'trace.json');
    const traceText = JSON.stringify(base);
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (lines) => {
        const journal = `${lines.map((make) => make()).join('\n')}\n`;
        await writeFile(path, traceText);
        await writeFile(`${path}.journal`, journal);
        let loaded = false;
        try {
          await loadTrace(path);
          loaded = true;
        } catch (error) {
          expectTypedWithPath(error);
          expect(await readFile(path, 'utf8')).toBe(traceText);
          expect(await readFile(`${path}.journal`, 'utf8')).toBe(journal);
        }
        if (loaded) await loadTrace(path);
        expectNoPollution();
      }),
      { numRuns: 60 },
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe('editTrace, fuzzed', () => {
  const cyclic = () => {
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    return value;
  };
  const editValue = fc.oneof(
    hostileValue,
    fc.constant(null).map(cyclic),
    fc.constant(() => 1),
    fc.constant(Symbol('s')),
  );
  const task = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('a', 'ask', 'when', 'fails', 'nested', 'missing', '__proto__'),
    fc.constantFrom(['nested', 'leaf'], ['nested', 'nope'], ['a', 'leaf'], [], ['nested']),
  );
  const field = fc.constantFrom<EditField>('prompt', 'response', 'output', 'input', 'question', 'answer');

  it('an edit applies (and the trace it leaves loads again) or is a typed error naming the task', () => {
    fc.assert(
      fc.property(task, field, editValue, (target, edit, value) => {
        const graph = TaskGraph.fromJSON(base);
        const path = target === undefined ? [] : typeof target === 'string' ? [target] : target;
        try {
          editTrace(graph, { task: target as string | string[], field: edit, value }, registry);
        } catch (error) {
          expectTypedWithPath(error);
          if (path.length > 0) expect((error as TaskGraphError).taskPath).toEqual(path);
          return;
        } finally {
          expectNoPollution();
        }
        expect(() => TaskGraph.fromJSON(rawTrace(graph.toJSON()))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
