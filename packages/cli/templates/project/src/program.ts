import type { TaskContext } from '@taskgraph/core';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startOfflineHandler } from '@taskgraph/openai/testing';

/**
 * A taskgraph program: two LLM tasks and a function.
 *
 *   facts (LLM) ──> question (LLM) ──> brief (function)
 *      └─────────────────────────────────┘
 *
 * `taskgraph run src/program.ts` runs it; `--input '{"topic":"owls"}'` sets the topic. Offline by default
 * (a local OpenAI-compatible test server gives stand-in replies); with OPENAI_API_KEY set it calls the
 * OpenAI API, or any OpenAI-compatible server named by OPENAI_BASE_URL.
 */

/** The graph input. */
export interface Input {
  topic: string;
}

/** The graph output. */
export interface Brief {
  topic: string;
  facts: string[];
  question: string;
}

/** The program's functions, apart from the graph: the graph and its trace stay plain data. */
export const functions = new FunctionRegistry();

// `ctx: TaskContext<Input>` types `ctx.input`; tsc then checks that the graph's input is an Input.
const factsPrompt = functions.register(
  'factsPrompt',
  (ctx: TaskContext<Input>) => `List three short facts about ${ctx.input.topic}, one per line.`,
);

/** One item per line, bullets and numbers removed. */
const parseLines = functions.register('parseLines', (_ctx, text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter(Boolean),
);

const questionPrompt = functions.register(
  'questionPrompt',
  (_ctx, facts: string[]) => `Write one quiz question that one of these facts answers:\n${facts.join('\n')}`,
);

const brief = functions.register(
  'brief',
  (ctx: TaskContext<Input>, facts: string[], question: string): Brief => ({
    topic: ctx.input.topic,
    facts,
    question: question.trim(),
  }),
);

/** Builds the graph for an input (the CLI's `--input`); `run` resolves to a Brief. */
export function graph(input: Input = { topic: 'rivers' }): TaskGraph<Input, Brief> {
  const program = new TaskGraph<Input, Brief>({ input });
  const facts = program.addLLM({ id: 'facts', prompt: factsPrompt, parser: parseLines });
  const question = program.addLLM({ id: 'question', prompt: questionPrompt, deps: [facts] });
  return program.setOutput(program.addFunction({ id: 'brief', fn: brief, deps: [facts, question] }));
}

let server: TestServer | undefined;

/** The functions with the offline LLM handler: a local test server with stand-in replies, not a model. */
export async function offlineRegistry(): Promise<FunctionRegistry> {
  const offline = await startOfflineHandler({
    rules: [
      {
        match: /^List three short facts about/,
        reply: (request) => {
          const topic = /about (.+), one per line/.exec(request.lastUserText)?.[1] ?? 'it';
          return [1, 2, 3].map((n) => `Stand-in fact ${n} about ${topic}.`).join('\n');
        },
      },
    ],
    defaultReply: 'Which of these stand-in facts comes first?',
    description: 'Local OpenAI-compatible test server with stand-in replies: not a real model.',
  });
  server = offline.server;
  return new FunctionRegistry().include(functions).addHandler(offline.handler);
}

/** The registry the CLI uses: a real model when OPENAI_API_KEY is set, else the offline one. */
export async function registry(): Promise<FunctionRegistry> {
  if (!process.env.OPENAI_API_KEY) return offlineRegistry();
  const handler = new OpenAIHandler({ defaultModel: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' });
  return new FunctionRegistry().include(functions).addHandler(handler);
}

/** Stops the offline server, if one was started (the CLI calls it at the end). */
export async function teardown(): Promise<void> {
  await server?.close();
  server = undefined;
}
