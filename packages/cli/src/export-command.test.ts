import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrace, type TraceDocument } from '@taskgraph/core';
import { type OtlpReceiver, startOtlpReceiver } from '@taskgraph/otel/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isOneLine, json, NESTED, taskgraph, tempDir } from '../test/cli-process.js';

describe('taskgraph export --otlp', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let trace: string;
  let document: TraceDocument;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    trace = join(dir, 'trace.json');
    expect((await taskgraph(['run', NESTED, '--trace', trace, '--quiet'])).code).toBe(0);
    // The explicit form of the file (times in epoch ms), as the exporter reads it.
    document = (await loadTrace(trace)).toJSON();
  });
  afterAll(() => remove());
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  it('sends one span per task with its recorded times, and the headers given', async () => {
    const before = await readFile(trace, 'utf8');
    const result = await taskgraph([
      'export',
      trace,
      '--otlp',
      receiver.url,
      '--header',
      'x-api-key=secret=1',
      '--service-name',
      'nightly',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const sent = json<{ spans: number; untimed: number; url: string }>(result);
    expect(sent.url).toBe(receiver.url);
    expect(receiver.spans).toHaveLength(sent.spans);
    expect(receiver.requests[0]?.headers['x-api-key']).toBe('secret=1');
    expect(receiver.spans.every((span) => span.resource['service.name'] === 'nightly')).toBe(true);
    const starts = new Map<string, number>();
    const visit = (tasks: TraceDocument['graph']['tasks'], path: string[]) => {
      for (const task of tasks) {
        if (task.startedAt !== undefined) starts.set([...path, task.id].join('>'), task.startedAt);
        if (task.kind === 'graph') visit(task.graph.tasks, [...path, task.id]);
      }
    };
    visit(document.graph.tasks, []);
    expect(sent.spans).toBe(starts.size + 1);
    for (const span of receiver.spans) {
      const path = span.attributes['taskgraph.task.path'];
      if (!Array.isArray(path)) continue;
      expect(Number(span.start) / 1e6).toBeCloseTo(starts.get(path.join('>')) ?? Number.NaN, 3);
    }
    expect(await readFile(trace, 'utf8')).toBe(before);
  });

  it('takes the endpoint from OTEL_EXPORTER_OTLP_ENDPOINT, adding /v1/traces', async () => {
    const base = receiver.url.replace('/v1/traces', '');
    const result = await taskgraph(['export', trace], { OTEL_EXPORTER_OTLP_ENDPOINT: base });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sent \d+ spans of .* to http:\/\/127\.0\.0\.1:\d+\/v1\/traces\.$/m);
    expect(receiver.requests[0]?.path).toBe('/v1/traces');
  });

  async function fails(args: string[], code: string): Promise<void> {
    const result = await taskgraph([...args, '--json'], { OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    expect(result.code).toBe(1);
    expect(isOneLine(result.stderr)).toBe(true);
    expect(json<{ error: { code: string } }>(result).error.code).toBe(code);
  }

  it('fails with one line and a code on bad input or a refusing endpoint', async () => {
    await fails(['export', trace], 'INVALID_ARGUMENT');
    await fails(['export', trace, '--otlp', receiver.url, '--header', 'no-equals'], 'INVALID_ARGUMENT');
    await fails(['export', join(dir, 'missing.json'), '--otlp', receiver.url], 'INVALID_ARGUMENT');
    await fails(['export', trace, '--otlp', 'grpc://localhost:4317'], 'INVALID_ARGUMENT');
    receiver.status = 400;
    await fails(['export', trace, '--otlp', receiver.url], 'OTLP_EXPORT_FAILED');
  });
});
