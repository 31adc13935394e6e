import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph } from '../src/index.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'taskgraph-program-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const registry = new FunctionRegistry();
const one = registry.register('one', () => 1);
const two = registry.register('two', () => 2);

function graphOf(fn: typeof one, id: string): TaskGraph {
  const graph = new TaskGraph();
  graph.setOutput(graph.addFunction({ id, fn }));
  return graph;
}

describe('a trace file of another program', () => {
  it('is refused with TRACE_OF_ANOTHER_PROGRAM, naming both programs, and left as it was', async () => {
    await withTempDir(async (dir) => {
      const trace = join(dir, 'trace.json');
      await graphOf(one, 'a').run(registry, { trace, program: 'src/first.ts' });
      const before = await readFile(trace, 'utf8');
      const error = await graphOf(two, 'b')
        .run(registry, { trace, program: 'src/second.ts' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TRACE_OF_ANOTHER_PROGRAM' });
      expect((error as Error).message).toContain('"src/first.ts"');
      expect((error as Error).message).toContain('"src/second.ts"');
      expect(await readFile(trace, 'utf8')).toBe(before);
    });
  });

  it('is resumed by the same program, and its name is kept in the run info', async () => {
    await withTempDir(async (dir) => {
      const trace = join(dir, 'trace.json');
      await graphOf(one, 'a').run(registry, { trace, program: 'src/first.ts' });
      const again = graphOf(one, 'a');
      await expect(again.run(registry, { trace, program: 'src/first.ts' })).resolves.toBe(1);
      expect(JSON.parse(await readFile(trace, 'utf8')).run.program).toBe('src/first.ts');
    });
  });

  it('is not checked when the run or the trace names no program', async () => {
    await withTempDir(async (dir) => {
      const trace = join(dir, 'trace.json');
      await graphOf(one, 'a').run(registry, { trace });
      await expect(graphOf(two, 'b').run(registry, { trace, program: 'src/second.ts' })).resolves.toBe(2);
      await expect(graphOf(one, 'a').run(registry, { trace })).resolves.toBe(1);
    });
  });
});
