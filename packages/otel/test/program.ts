import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler, type OpenAIHandlerOptions } from '@taskgraph/openai';
import { startTestServer, type TestServer } from '@taskgraph/openai/testing';

/**
 * A small program over HTTP to the OpenAI-compatible test server: a word, a nested graph that shouts it
 * and asks the model about it, and a summary of the answer.
 */
export async function program(options: OpenAIHandlerOptions = {}) {
  const server: TestServer = await startTestServer();
  server.setDefaultReply({ content: 'blue is calm' });
  const handler = new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {}, ...options });
  const registry = new FunctionRegistry().addHandler(handler);
  const word = registry.register('word', () => 'blue');
  const shout = registry.register('shout', (ctx) => String(ctx.input).toUpperCase());
  const prompt = registry.register('prompt', (_ctx, w: string) => `Say something about ${w}.`);
  const pass = registry.register('pass', (_ctx, w: string) => w);
  const summary = registry.register('summary', (_ctx, text: string) => text.split(' ').length);
  const build = () => {
    const inner = new TaskGraph();
    const loud = inner.addFunction({ id: 'loud', fn: shout });
    inner.setOutput(
      inner.addLLM({ id: 'ask', prompt, deps: [loud], params: { model: 'gpt-4o-mini', temperature: 0.2 } }),
    );
    const graph = new TaskGraph();
    const first = graph.addFunction({ id: 'word', fn: word });
    const nested = graph.addGraph({ id: 'nested', graph: inner, input: pass.id, deps: [first] });
    graph.setOutput(graph.addFunction({ id: 'summary', fn: summary.id, deps: [nested] }));
    return graph;
  };
  return { server, registry, build };
}

/** An SDK tracer provider that exports every span at once through the OTLP/HTTP exporter to `url`. */
export function otlpProvider(url: string) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otel-test' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
  });
}
