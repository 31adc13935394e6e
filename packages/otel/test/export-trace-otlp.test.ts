import type { TraceDocument } from '@taskgraph/core';
import { TaskGraph } from '@taskgraph/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportTraceOtlp } from '../src/otlp.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../src/testing.js';
import { program } from './program.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

async function savedTrace(): Promise<TraceDocument> {
  const { server, registry, build } = await program();
  const graph = build();
  try {
    await graph.run(registry);
  } finally {
    await server.close();
  }
  return JSON.parse(JSON.stringify(graph.toJSON())) as TraceDocument;
}

/** Epoch milliseconds of a span time, as the receiver decoded it. */
const ms = (nanos: bigint) => Number(nanos) / 1e6;

function span(name: string): ReceivedSpan {
  const found = receiver.spans.find((s) => s.name === name);
  if (!found) throw new Error(`no span "${name}"`);
  return found;
}

describe('exportTraceOtlp', () => {
  it('sends the saved run as spans with its recorded times, tree and attributes', async () => {
    const trace = await savedTrace();
    const sent = await exportTraceOtlp(trace, { url: receiver.url, serviceName: 'nightly' });
    expect(sent).toEqual({ spans: 6, untimed: 0 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.spans).toHaveLength(6);
    const run = span('taskgraph.run');
    expect(run.resource['service.name']).toBe('nightly');
    expect(ms(run.start)).toBeCloseTo(Date.parse(trace.run?.startedAt ?? ''), 3);
    expect(ms(run.end)).toBeCloseTo(Date.parse(trace.run?.endedAt ?? ''), 3);

    const nested = trace.graph.tasks.find((t) => t.id === 'nested');
    if (nested?.kind !== 'graph') throw new Error('expected the nested graph record');
    const ask = nested.graph.tasks.find((t) => t.id === 'ask');
    if (ask?.kind !== 'llm') throw new Error('expected the LLM record');
    const askSpan = span('llm ask');
    expect(ms(askSpan.start)).toBeCloseTo(ask.startedAt ?? 0, 3);
    expect(ms(askSpan.end)).toBeCloseTo((ask.startedAt ?? 0) + (ask.durationMs ?? 0), 3);
    expect(askSpan.parentSpanId).toBe(span('graph nested').spanId);
    expect(span('graph nested').parentSpanId).toBe(run.spanId);
    expect(askSpan.kind).toBe(3);
    expect(askSpan.attributes).toMatchObject({
      'taskgraph.task.id': 'ask',
      'taskgraph.task.path': ['nested', 'ask'],
      'taskgraph.task.status': 'done',
      'taskgraph.task.reused': false,
      'taskgraph.task.fingerprint.prompt': ask.fingerprints?.prompt,
      'taskgraph.task.fingerprint.response': ask.fingerprints?.response,
      'taskgraph.task.fingerprint.output': ask.fingerprints?.output,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': ask.usage?.promptTokens,
      'gen_ai.usage.output_tokens': ask.usage?.completionTokens,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(askSpan.attributes).not.toHaveProperty('gen_ai.input.messages');
  });

  it('marks tasks computed before the recorded run as reused, and content only when asked', async () => {
    const first = await savedTrace();
    const { server, registry } = await program();
    const replay = TaskGraph.fromJSON(first);
    await replay.run(registry);
    await server.close();
    await exportTraceOtlp(replay.toJSON(), { url: receiver.url, captureContent: true });
    expect(receiver.spans.filter((s) => s.attributes['taskgraph.task.reused'] === true)).toHaveLength(5);
    expect(JSON.parse(String(span('llm ask').attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'blue is calm' }], finish_reason: 'stop' },
    ]);
  });

  it('sends a large trace in batches of batchSize spans', async () => {
    const trace = await savedTrace();
    await exportTraceOtlp(trace, { url: receiver.url, batchSize: 4 });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.spans).toHaveLength(6);
    expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(6);
    // The tree holds across batches: every parent named is among the spans sent.
    const ids = new Set(receiver.spans.map((s) => s.spanId));
    expect(receiver.spans.filter((s) => s.parentSpanId !== '' && !ids.has(s.parentSpanId))).toEqual([]);
    await expect(exportTraceOtlp(trace, { url: receiver.url, batchSize: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('adds /v1/traces to a base URL without a path', async () => {
    await exportTraceOtlp(await savedTrace(), { url: receiver.url.replace('/v1/traces', '') });
    expect(receiver.requests[0]?.path).toBe('/v1/traces');
  });

  it('fails with OTLP_EXPORT_FAILED when the endpoint refuses the spans', async () => {
    receiver.status = 400;
    const error = await exportTraceOtlp(await savedTrace(), { url: receiver.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OTLP_EXPORT_FAILED' });
  });

  it('fails with OTLP_EXPORT_FAILED when nothing listens at the endpoint', async () => {
    const trace = await savedTrace();
    const url = receiver.url;
    await receiver.close();
    const error = await exportTraceOtlp(trace, { url, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OTLP_EXPORT_FAILED' });
  });

  it('refuses a URL that is not http(s), and a trace that was never run, with INVALID_ARGUMENT', async () => {
    const trace = await savedTrace();
    for (const url of ['localhost:4317', 'grpc://collector:4317', 'not a url']) {
      await expect(exportTraceOtlp(trace, { url })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    const never = new TaskGraph();
    never.addFunction({ id: 'a', fn: 'builtin.input' });
    await expect(exportTraceOtlp(never.toJSON(), { url: receiver.url })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
