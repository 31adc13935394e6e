import { TaskGraph, type TraceDocument } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { otelRunListener } from '../src/index.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../src/testing.js';
import { otlpProvider, program } from './program.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span "${name}" among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function recordOf(trace: TraceDocument, path: string[]) {
  let tasks = trace.graph.tasks;
  let record: (typeof tasks)[number] | undefined;
  for (const id of path) {
    record = tasks.find((t) => t.id === id);
    if (record?.kind === 'graph') tasks = record.graph.tasks;
  }
  if (!record) throw new Error(`no record ${path.join(' > ')}`);
  return record;
}

async function runTraced(captureContent: boolean, stream = false) {
  const { server, registry, build } = await program({ stream });
  const provider = otlpProvider(receiver.url);
  const graph = build();
  try {
    const onEvent = otelRunListener({ tracer: provider.getTracer('test'), graph, captureContent });
    await graph.run(registry, { onEvent });
    await provider.forceFlush();
    return { graph, registry, provider, server, onEvent };
  } finally {
    await server.close();
  }
}

describe('otelRunListener through the OTLP/HTTP exporter', () => {
  it('sends a span tree of run, tasks, stages and the LLM call', async () => {
    const { graph } = await runTraced(false);
    const spans = receiver.spans;
    expect(receiver.requests[0]?.contentType).toBe('application/json');
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const run = byName(spans, 'taskgraph.run');
    expect(run.parentSpanId).toBe('');
    expect(run.attributes).toMatchObject({ 'taskgraph.run.status': 'done', 'taskgraph.run.tasks': 5 });
    expect(run.resource['service.name']).toBe('otel-test');

    const parentOf = (span: ReceivedSpan) => spans.find((s) => s.spanId === span.parentSpanId)?.name;
    const nested = byName(spans, 'graph nested');
    const ask = byName(spans, 'llm ask');
    const chat = byName(spans, 'chat gpt-4o-mini');
    expect(parentOf(byName(spans, 'function word'))).toBe('taskgraph.run');
    expect(parentOf(nested)).toBe('taskgraph.run');
    expect(parentOf(ask)).toBe('graph nested');
    expect(parentOf(byName(spans, 'function loud'))).toBe('graph nested');
    const askStages = spans.filter((s) => s.parentSpanId === ask.spanId).map((s) => s.name);
    expect(askStages.sort()).toEqual(['stage output', 'stage prompt', 'stage response']);
    expect(parentOf(chat)).toBe('stage response');

    // Every span lies within its parent, and the summary starts after the nested graph ends.
    for (const span of spans) {
      const parent = spans.find((s) => s.spanId === span.parentSpanId);
      expect(span.end).toBeGreaterThanOrEqual(span.start);
      if (parent) {
        expect(span.start).toBeGreaterThanOrEqual(parent.start);
        expect(span.end).toBeLessThanOrEqual(parent.end);
      }
    }
    expect(byName(spans, 'function summary').start).toBeGreaterThanOrEqual(nested.end);

    expect(ask.attributes).toMatchObject({
      'taskgraph.task.id': 'ask',
      'taskgraph.task.path': ['nested', 'ask'],
      'taskgraph.task.kind': 'llm',
      'taskgraph.task.status': 'done',
      'taskgraph.task.reused': false,
    });
    // The fingerprints are the ones the saved trace records.
    const trace = graph.toJSON();
    const fingerprints = recordOf(trace, ['nested', 'ask']).fingerprints ?? {};
    expect(Object.keys(fingerprints).sort()).toEqual(['output', 'prompt', 'response']);
    for (const [stage, value] of Object.entries(fingerprints)) {
      expect(ask.attributes[`taskgraph.task.fingerprint.${stage}`]).toBe(value);
    }
  });

  it('puts the GenAI semantic conventions on the LLM call span, without content unless asked', async () => {
    const { graph } = await runTraced(false);
    const chat = byName(receiver.spans, 'chat gpt-4o-mini');
    const record = recordOf(graph.toJSON(), ['nested', 'ask']);
    if (record.kind !== 'llm') throw new Error('expected an LLM record');
    expect(chat.kind).toBe(3);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': record.usage?.promptTokens,
      'gen_ai.usage.output_tokens': record.usage?.completionTokens,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(record.usage?.completionTokens).toBe(3);
    expect(chat.attributes).not.toHaveProperty('gen_ai.input.messages');
    expect(chat.attributes).not.toHaveProperty('gen_ai.output.messages');
  });

  it('records prompts and replies as GenAI messages when asked, from a streamed call too', async () => {
    await runTraced(true, true);
    const chat = byName(receiver.spans, 'chat gpt-4o-mini');
    expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Say something about BLUE.' }] },
    ]);
    expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'blue is calm' }], finish_reason: 'stop' },
    ]);
  });

  it('marks reused tasks on a replay, with no stage spans for them', async () => {
    const { graph, registry, provider } = await runTraced(false);
    receiver.spans.length = 0;
    const replay = TaskGraph.fromJSON(graph.toJSON());
    await replay.run(registry, {
      onEvent: otelRunListener({ tracer: provider.getTracer('test'), graph: replay }),
    });
    await provider.forceFlush();
    const tasks = receiver.spans.filter((s) => s.attributes['taskgraph.task.id'] !== undefined);
    expect(tasks.map((s) => [s.name, s.attributes['taskgraph.task.reused']]).sort()).toEqual([
      ['function loud', true],
      ['function summary', true],
      ['function word', true],
      ['graph nested', true],
      ['llm ask', true],
    ]);
    expect(receiver.spans.filter((s) => s.name.startsWith('stage ') || s.name.startsWith('chat'))).toEqual(
      [],
    );
    const fingerprint = byName(receiver.spans, 'llm ask').attributes['taskgraph.task.fingerprint.response'];
    expect(fingerprint).toBe(recordOf(graph.toJSON(), ['nested', 'ask']).fingerprints?.response);
  });

  it('marks a failed task and the run with an error status and the error code', async () => {
    const { server, registry, build } = await program({ retry: { maxRetries: 0 } });
    server.setDefaultReply({ fault: 'status', status: 400 });
    const provider = otlpProvider(receiver.url);
    const graph = build();
    const error = await graph
      .run(registry, { onEvent: otelRunListener({ tracer: provider.getTracer('test'), graph }) })
      .catch((e: unknown) => e);
    await server.close();
    await provider.forceFlush();
    expect(error).toMatchObject({ code: 'TASK_FAILED' });
    const ask = byName(receiver.spans, 'llm ask');
    expect(ask.status.code).toBe(2);
    expect(ask.attributes).toMatchObject({
      'taskgraph.task.status': 'failed',
      'error.type': 'LLM_CALL_FAILED',
    });
    expect(byName(receiver.spans, 'chat gpt-4o-mini').status.code).toBe(2);
    expect(byName(receiver.spans, 'taskgraph.run').status.code).toBe(2);
  });
});
