import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { TaskGraph } from '../task-graph.js';
import { FunctionRegistry } from './registry.js';

const registry = new FunctionRegistry();
const prompt = registry.register('prompt', () => 'Answer in JSON.');
const make = registry.register('make', () => ({ n: 1 }));

function codeOf(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('zod schemas of tasks', () => {
  it('refuses a zod 3 parser with INVALID_ARGUMENT saying zod 4 is needed', () => {
    const schema = z3.object({ n: z3.number() }) as unknown as z.ZodType<{ n: number }>;
    const refused = codeOf(() => new TaskGraph().addLLM({ id: 'l', prompt, parser: schema }));
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('zod 4') });
    expect((refused as { message: string }).message).toContain('TaskGraph.addLLM');
  });

  it('refuses a zod 3 output schema the same way', () => {
    const schema = z3.object({ n: z3.number() }) as unknown as z.ZodType<{ n: number }>;
    const refused = codeOf(() => new TaskGraph().addFunction({ id: 'f', fn: make, schema }));
    expect(refused).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('zod 3 schema'),
    });
  });

  it('accepts zod 4 schemas', () => {
    const graph = new TaskGraph();
    graph.addLLM({ id: 'l', prompt, parser: z.object({ n: z.number() }) });
    graph.addFunction({ id: 'f', fn: make, schema: z.object({ n: z.number() }) });
    expect(graph.size).toBe(2);
  });
});
