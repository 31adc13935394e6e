import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { RecordedRequest, TestServer } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedPlanner } from '../../test/scripted-planner.js';
import { externalAssistant, functionAssistant, toolAgent } from '../shared/assistant.js';
import type { ToolCallRecord } from '../shared/tools.js';
import { defineTool } from '../shared/tools.js';
import { createPlanner } from './create-planner.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const population = defineTool({
  name: 'population',
  description: 'The population of a city.',
  parameters: z.object({ city: z.string() }),
  run: ({ city }) => (city === 'Oslo' ? 709_000 : null),
});

type Body = { messages: Array<{ role: string; content: string | null }>; tools?: unknown[] };

/** The planner model, and a researcher model that calls the population tool once, then answers. */
function reply(request: RecordedRequest) {
  const body = request.body as Body;
  const last = body.messages.at(-1);
  if (body.tools) {
    if (last?.role === 'tool') return `Oslo has ${last.content} people.`;
    return { toolCalls: [{ id: 'call_pop', name: 'population', arguments: { city: 'Oslo' } }] };
  }
  const text = request.lastUserText;
  if (text.startsWith('Write the ordered list')) {
    return JSON.stringify({
      current_tasks: [
        { task: 'find how many people live in Oslo', worker: 'researcher' },
        { task: 'count the words of this task', worker: 'counter' },
      ],
    });
  }
  if (text.startsWith('The task "count')) return '{"goal_complete": true}';
  return '{}';
}

describe('planner workers', () => {
  it('R0-15 a task names its worker: a tool-using agent (its turns and tool calls are tasks) or code', async () => {
    server = await startTestServer({ respond: reply });
    const registry = new FunctionRegistry().addHandler(
      new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {} }),
    );
    const planner = createPlanner(registry, {
      workers: [
        toolAgent({
          name: 'researcher',
          description: 'Finds facts with tools.',
          tools: [population],
          params: { model: 'small-researcher' },
        }),
        functionAssistant({
          name: 'counter',
          description: 'Counts words.',
          run: (input) => ({ words: input.task.split(' ').length }),
        }),
      ],
    });
    const { result, graph } = await planner.run({
      goal: 'Oslo facts',
      models: { planner: { model: 'planner' } },
    });
    expect(result.status).toBe('complete');
    expect(result.completedTasks).toEqual([
      { task: 'find how many people live in Oslo', result: 'Oslo has 709000 people.' },
      { task: 'count the words of this task', result: { words: 6 } },
    ]);
    // The planner model was told about the workers; the agent's calls carried its tool and model.
    expect(JSON.stringify(server.requests[0]?.body)).toContain('name: researcher');
    expect(server.requests.map((r) => r.model)).toEqual([
      'planner',
      'small-researcher',
      'small-researcher',
      'planner',
      'planner',
    ]);
    const call = [...graph.tasks()].find((t) => t.kind === 'function' && t.fn === 'patterns.tool.population');
    expect(call?.output?.value as ToolCallRecord).toEqual({
      tool: 'population',
      input: { city: 'Oslo' },
      toolCallId: 'call_pop',
      output: 709_000,
    });
    const refine = server.requests[3]?.lastUserText ?? '';
    expect(refine).toContain('Oslo has 709000 people.');

    // The whole run replays from its trace with no request.
    const before = server.requests.length;
    const replayed = TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    await replayed.run(registry);
    expect(server.requests).toHaveLength(before);
    expect(planner.result(replayed)?.completedTasks).toEqual(result.completedTasks);
  });

  it('R0-15 a task naming an unknown worker goes to the worker LLM, and the step says so', async () => {
    const { planner, take } = scriptedPlanner(
      { plan: [{ current_tasks: [{ task: 'a', worker: 'nobody' }] }] },
      { workers: [functionAssistant({ name: 'somebody', description: 'x', run: () => 'x' })] },
    );
    const { result, graph } = await planner.run({ goal: 'g' });
    expect(result.completedTasks).toEqual([{ task: 'a', result: 'done: a' }]);
    expect(take()).toEqual(['plan', 'worker', 'refine', 'check']);
    const step = graph.task('planner/step-1')?.output?.value as { events: unknown[] };
    expect(step.events).toContainEqual({ type: 'worker_unknown', step: 1, task: 'a', worker: 'nobody' });
  });

  it('createPlanner refuses a default worker that is not one of its workers', () => {
    const registry = new FunctionRegistry();
    expect(() => createPlanner(registry, { defaultWorker: 'me' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      createPlanner(registry, {
        workers: [
          externalAssistant({ name: 'me', description: 'x' }),
          externalAssistant({ name: 'me', description: 'y' }),
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
