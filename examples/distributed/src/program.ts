/**
 * The program module of the distributed example: the scheduler (`taskgraph run … --executor bullmq`)
 * and every worker (`taskgraph worker …`) load it, so they hold the same functions and LLM handler.
 *
 * The graph splits a text into paragraphs in a function task, which adds one LLM task per paragraph
 * through its context (on whichever worker ran it); a last function task joins the summaries.
 */
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';

export interface Input {
  text: string;
}

/**
 * The functions, and the OpenAI handler: at EXAMPLE_LLM_URL (the local test server main.ts starts) when
 * it is set, else the OpenAI API with OPENAI_API_KEY.
 */
export function registry(): FunctionRegistry {
  const offline = process.env.EXAMPLE_LLM_URL;
  const registry = new FunctionRegistry().addHandler(
    offline
      ? new OpenAIHandler({
          apiKey: 'offline',
          baseURL: offline,
          env: {},
          defaultModel: 'offline-stand-in',
          description: 'OpenAI-compatible test server started by the example: not a real model.',
          prices: { 'offline-stand-in': { inputPerMillion: 0, outputPerMillion: 0 } },
        })
      : new OpenAIHandler({ defaultModel: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' }),
  );
  registry.register('split', (ctx) => {
    const paragraphs = (ctx.input as Input).text.split(/\n\s*\n/).map((p) => p.trim());
    const summaries = paragraphs.map((paragraph, i) =>
      ctx.addLLM({ id: `summary-${i}`, prompt: 'ask', args: paragraph, deps: [ctx.taskId] }),
    );
    ctx.addFunction({ id: 'joined', fn: 'join', deps: summaries });
    return paragraphs.length;
  });
  registry.register('ask', (ctx) => `Summarize in one short sentence:\n\n${String(ctx.args)}`);
  registry.register('join', (_ctx, ...summaries: string[]) => summaries.map((s) => `- ${s}`).join('\n'));
  return registry;
}

export function graph(input: Input): TaskGraph {
  const graph = new TaskGraph({ input });
  graph.addFunction({ id: 'split', fn: 'split' });
  return graph;
}

export const TEXT = [
  'Rivers carve valleys over thousands of years, carrying sand and stones from the mountains to the sea.',
  'Otters live along many rivers; they hunt fish at dawn and rest in dens dug into the bank.',
  'Herons stand still in shallow water for minutes at a time, then strike faster than the eye can follow.',
  'Floods renew the soil of the plains, which is why the first farms and towns grew beside rivers.',
].join('\n\n');
