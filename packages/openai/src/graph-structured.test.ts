import { TaskGraph, type TaskGraphError } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Fixture } from '../test/graph-fixture.js';
import { llmFixture } from '../test/graph-fixture.js';

let fx: Fixture;
afterEach(() => fx?.server.close());

const City = z.object({ name: z.string(), population: z.number().int() });

function cityGraph(maxRepairs?: number) {
  const graph = new TaskGraph();
  graph.addLLM({
    id: 'city',
    prompt: 'ask',
    args: 'Describe Paris as JSON.',
    parser: City,
    ...(maxRepairs === undefined ? {} : { maxRepairs }),
  });
  return graph;
}

describe('LLM tasks with a zod schema parser', () => {
  it('ask for JSON with the schema and validate the reply', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply('{"name":"Paris","population":2100000}');
    const graph = cityGraph();
    await graph.run(fx.registry);
    expect(graph.task('city')?.output?.value).toEqual({ name: 'Paris', population: 2100000 });
    type Body = { response_format: { type: string; json_schema: { schema: unknown } } };
    const format = (fx.server.requests[0]?.body as Body | undefined)?.response_format;
    if (!format) throw new Error('the request asked for no response_format');
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.schema).toMatchObject({ type: 'object', required: ['name', 'population'] });
  });

  it('repair a reply that fails the schema, and keep every attempt in the trace', async () => {
    fx = await llmFixture();
    fx.server.enqueue(
      '{"name":"Paris","population":"many"}',
      '```json\n{"name":"Paris","population":2100000}\n```',
    );
    const graph = cityGraph();
    await graph.run(fx.registry);
    expect(graph.task('city')?.output?.value).toEqual({ name: 'Paris', population: 2100000 });
    expect(fx.server.requests).toHaveLength(2);
    const repairRequest = fx.server.requests[1]?.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(repairRequest.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repairRequest.messages[1]?.content).toBe('{"name":"Paris","population":"many"}');
    expect(repairRequest.messages[2]?.content).toContain('population');
    const record = graph.toJSON().graph.tasks[0];
    if (record?.kind !== 'llm') throw new Error('expected an LLM record');
    expect(record.repairs).toHaveLength(1);
    expect(record.repairs?.[0]?.response).toMatchObject({ content: '{"name":"Paris","population":"many"}' });
    expect(record.repairs?.[0]?.error.code).toBe('OUTPUT_PARSE');
    expect(record.usage?.totalTokens).toBeGreaterThan(0);
    expect(graph.toJSON().run?.usage?.llmCalls).toBe(2);
  });

  it('fail with OUTPUT_PARSE, naming the task, when the repairs run out', async () => {
    fx = await llmFixture();
    fx.server.setDefaultReply('not json at all');
    const error = (await cityGraph(2)
      .run(fx.registry)
      .catch((e: unknown) => e)) as TaskGraphError;
    expect(error.taskPath).toEqual(['city']);
    expect((error.cause as TaskGraphError).code).toBe('OUTPUT_PARSE');
    expect(fx.server.requests).toHaveLength(3);
    const record = error.trace?.graph.tasks[0];
    expect(record?.kind === 'llm' && record.repairs?.length).toBe(2);
  });

  it('replay a repaired task with no request', async () => {
    fx = await llmFixture();
    fx.server.enqueue('{"name":"Paris"}', '{"name":"Paris","population":1}');
    const graph = cityGraph();
    await graph.run(fx.registry);
    await TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON()))).run(fx.registry);
    expect(fx.server.requests).toHaveLength(2);
  });
});
