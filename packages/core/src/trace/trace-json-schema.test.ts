import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rawTrace } from '../../test/helpers.js';
import { trackingRegistry } from '../../test/tracking.js';
import { TaskGraph } from '../index.js';
import { traceJsonSchema } from './trace-json-schema.js';

const shipped = join(dirname(fileURLToPath(import.meta.url)), '../../trace.schema.json');

describe('trace.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `pnpm --filter @taskgraph/core schema` after a change)', async () => {
    expect(JSON.parse(await readFile(shipped, 'utf8'))).toEqual(traceJsonSchema());
  });

  it('describes nested graphs through a reference, not by inlining them forever', () => {
    expect(JSON.stringify(traceJsonSchema())).toContain('"$ref"');
  });

  it('accepts a real trace with a nested graph and rejects a hand edit that breaks it', async () => {
    const t = trackingRegistry();
    const inner = new TaskGraph();
    inner.setOutput(inner.addLLM({ id: 'ask', prompt: t.prompt, handler: 'scripted' }));
    const graph = new TaskGraph({ input: { when: new Date(0) } });
    graph.addGraph({ id: 'sub', graph: inner });
    await graph.run(t.registry);
    const validator = z.fromJSONSchema(traceJsonSchema() as Parameters<typeof z.fromJSONSchema>[0]);
    const trace = rawTrace(graph.toJSON());
    expect(validator.safeParse(trace).success).toBe(true);
    trace.graph.tasks[0].graph.tasks[0].status = 'finished';
    expect(validator.safeParse(trace).success).toBe(false);
  });
});
