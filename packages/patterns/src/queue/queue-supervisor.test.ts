import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../shared/tools.js';
import { queueRecords } from './queue-graph.js';
import { addQueueSupervisor, supervisorResult } from './queue-supervisor.js';
import { registerQueue } from './register-queue.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const checkInvoice = defineTool({
  name: 'check_invoice',
  description: 'Checks that an invoice total matches its lines.',
  parameters: z.object({ id: z.string() }),
  run: ({ id }) =>
    id === 'INV-2' ? { valid: false, problem: 'lines add up to 14, not 15' } : { valid: true },
});

const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const queueCall = (args: Record<string, unknown>) => call('task_management', args);

async function supervisorSetup(maxTurns?: number) {
  server = await startTestServer();
  const registry = new FunctionRegistry().addHandler(
    new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, defaultModel: 'gpt-4o-mini', env: {} }),
  );
  registerQueue(registry, { tools: [checkInvoice] });
  const graph = new TaskGraph();
  addQueueSupervisor(graph, {
    id: 'supervisor',
    goal: 'Validate invoices INV-1 and INV-2.',
    tools: [checkInvoice],
    ...(maxTurns === undefined ? {} : { maxTurns }),
  });
  return { registry, graph, server };
}

type Body = {
  messages: Array<{ role: string; content: string | null; tool_call_id?: string }>;
  tools: unknown[];
};
const bodyOf = (srv: TestServer, i: number) => srv.requests[i]?.body as Body;

describe('queue supervisor', () => {
  it('R1-14 an LLM supervisor drives the queue through the tool; each result comes back tied to its call id', async () => {
    const { registry, graph, server: srv } = await supervisorSetup();
    srv.enqueue(
      {
        toolCalls: [
          queueCall({ mode: 'add_tasks', new_tasks: ['INV-1', 'INV-2'] }),
          queueCall({ mode: 'get_next' }),
          queueCall({ mode: 'get_next' }),
        ],
      },
      { toolCalls: [call('check_invoice', { id: 'INV-1' })] },
      { toolCalls: [queueCall({ mode: 'mark_done', result: 'valid' }), queueCall({ mode: 'get_next' })] },
      { toolCalls: [call('check_invoice', { id: 'INV-2' })] },
      {
        toolCalls: [
          queueCall({ mode: 'mark_failed', error: 'total mismatch' }),
          queueCall({ mode: 'get_next' }),
        ],
      },
      { content: 'INV-1 is valid; INV-2 failed: total mismatch.' },
    );
    await graph.run(registry);

    const tools = bodyOf(srv, 0).tools as Array<{
      function: { name: string; parameters: { properties: { mode?: { enum: string[] } } } };
    }>;
    expect(tools.map((t) => t.function.name)).toEqual(['task_management', 'check_invoice']);
    expect(tools[0]?.function.parameters.properties.mode?.enum).toContain('get_next');

    // The three calls of turn 1 come back as three tool messages with their call ids, in order; the
    // second get_next ran after the first and was refused, so no task was handed out twice.
    const toolMessages = bodyOf(srv, 1).messages.filter((m) => m.role === 'tool');
    expect(toolMessages).toEqual([
      { role: 'tool', content: 'Added 2 tasks.', tool_call_id: 'call_0_0' },
      { role: 'tool', content: "New Current Task is 'INV-1'.", tool_call_id: 'call_0_1' },
      expect.objectContaining({
        tool_call_id: 'call_0_2',
        content: expect.stringContaining("'INV-1' is still current"),
      }),
    ]);
    expect(bodyOf(srv, 4).messages.at(-1)).toEqual({
      role: 'tool',
      content: '{"valid":false,"problem":"lines add up to 14, not 15"}',
      tool_call_id: 'call_3_0',
    });

    const result = supervisorResult(graph, 'supervisor');
    expect(result).toMatchObject({
      status: 'done',
      turn: 6,
      answer: 'INV-1 is valid; INV-2 failed: total mismatch.',
    });
    expect(result?.queue).toEqual({
      pending: [],
      current: null,
      claimed: [],
      done: [{ task: 'INV-1', result: 'valid' }],
      failed: [{ task: 'INV-2', error: 'total mismatch' }],
    });
    expect(queueRecords(graph, 'supervisor').map((r) => [r.op, r.code, r.toolCallId])).toEqual([
      ['addTasks', 'OK', 'call_0_0'],
      ['getNext', 'OK', 'call_0_1'],
      ['getNext', 'CURRENT_NOT_DONE', 'call_0_2'],
      ['markDone', 'OK', 'call_2_0'],
      ['getNext', 'OK', 'call_2_1'],
      ['markFailed', 'OK', 'call_4_0'],
      ['getNext', 'EMPTY', 'call_4_1'],
    ]);

    // The trace replays with no request.
    await TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON()))).run(registry);
    expect(srv.requests).toHaveLength(6);
  });

  it('stops at maxTurns, and answers a call of an unknown tool with an error the model reads', async () => {
    const { registry, graph, server: srv } = await supervisorSetup(2);
    srv.setDefaultReply({ toolCalls: [call('delete_everything', {})] });
    await graph.run(registry);
    expect(supervisorResult(graph, 'supervisor')).toMatchObject({ status: 'max_turns', turn: 2 });
    expect(bodyOf(srv, 1).messages.at(-1)?.content).toBe(
      'Error: there is no tool named "delete_everything". Tools: check_invoice.',
    );
    expect(srv.requests).toHaveLength(2);
  });
});
