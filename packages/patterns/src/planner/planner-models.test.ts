import { FunctionRegistry } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedPlanner } from '../../test/scripted-planner.js';
import type { ToolCallRecord } from '../shared/tools.js';
import { defineTool } from '../shared/tools.js';
import { createPlanner } from './create-planner.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const lookup = defineTool({
  name: 'lookup',
  description: 'Looks a word up in a tiny dictionary.',
  parameters: z.object({ word: z.string() }),
  run: ({ word }) => {
    if (word === 'taskgraph') return { meaning: 'a graph of tasks' };
    throw new Error(`no entry for "${word}"`);
  },
});

describe('planner tools and models', () => {
  it('R0-13 every tool call is a task recording (tool, input, output, error?); none reaches shared state by default', async () => {
    const plan = {
      current_tasks: [
        { task: 'define taskgraph', tool: 'lookup', input: { word: 'taskgraph' } },
        { task: 'define zzz', tool: 'lookup', input: { word: 'zzz' } },
      ],
    };
    const quiet = scriptedPlanner({ plan: [plan] }, { tools: [lookup] });
    const { result, graph } = await quiet.planner.run({ goal: 'define words' });
    expect(graph.task('planner/task-1@2')?.output?.value).toEqual({
      tool: 'lookup',
      input: { word: 'taskgraph' },
      output: { meaning: 'a graph of tasks' },
    });
    expect((graph.task('planner/task-2@3')?.output?.value as ToolCallRecord | undefined)?.error).toBe(
      'no entry for "zzz"',
    );
    expect(result.storedInfo).toEqual({});
    expect(quiet.take()).not.toContain('worker');

    const loud = scriptedPlanner({ plan: [plan] }, { tools: [lookup] });
    const logged = await loud.planner.run({ goal: 'define words', recordToolsInState: true });
    expect(logged.result.storedInfo.tools_used).toHaveLength(2);
  });

  it('R0-15 the planner and the workers use different models, through the OpenAI handler', async () => {
    server = await startTestServer({
      rules: [
        { match: 'Write the ordered list', reply: '{"current_tasks": ["summarize the news"]}' },
        { match: 'is done', reply: '{"goal_complete": true, "final_result": {"summary": "quiet day"}}' },
        { match: 'Your task', reply: 'Nothing happened today.' },
      ],
    });
    const registry = new FunctionRegistry().addHandler(
      new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {} }),
    );
    const planner = createPlanner(registry);
    const { result } = await planner.run({
      goal: 'summarize the news',
      models: { planner: { model: 'big-planner' }, worker: { model: 'small-worker' } },
    });
    expect(result).toMatchObject({ status: 'complete', finalResult: { summary: 'quiet day' } });
    expect(server.requests.map((r) => r.model)).toEqual(['big-planner', 'small-worker', 'big-planner']);
    expect((server.requests[0]?.body as { response_format?: unknown } | undefined)?.response_format).toEqual({
      type: 'json_object',
    });
  });
});
