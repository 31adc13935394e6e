import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionAssistant, toolAgent } from '../shared/assistant.js';
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
  run: ({ id }) => ({ id, valid: true }),
});
const archived: string[] = [];
const members = [
  toolAgent({
    name: 'validator',
    description: 'Validates invoices with check_invoice.',
    instructions: 'You validate invoices.',
    tools: [checkInvoice],
  }),
  functionAssistant({
    name: 'archiver',
    description: 'Archives an invoice.',
    run: ({ task }) => {
      archived.push(task);
      return { archived: task };
    },
  }),
];

const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const queueCall = (args: Record<string, unknown>) => call('task_management', args);
type Message = { role: string; content: string | null; tool_call_id?: string };
type Body = { messages: Message[]; tools?: Array<{ function: { name: string } }>; response_format?: unknown };

async function setup() {
  server = await startTestServer();
  const registry = new FunctionRegistry().addHandler(
    new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, defaultModel: 'gpt-4o-mini', env: {} }),
  );
  registerQueue(registry, { members });
  return { registry, srv: server, body: (i: number) => server?.requests[i]?.body as Body };
}

describe('queue supervisor with members', () => {
  it('R1-14 the supervisor hands tasks to member assistants (an agent with tools, code); answers come back tied to the call', async () => {
    const { registry, srv, body } = await setup();
    srv.enqueue(
      {
        toolCalls: [queueCall({ mode: 'add_tasks', new_tasks: ['INV-1'] }), queueCall({ mode: 'get_next' })],
      },
      { toolCalls: [call('transfer_to_validator', { task: 'Validate INV-1' })] },
      { toolCalls: [call('check_invoice', { id: 'INV-1' })] }, // the validator's first turn
      { content: 'INV-1 is valid.' }, // the validator's answer
      {
        toolCalls: [
          queueCall({ mode: 'mark_done', result: 'valid' }),
          call('transfer_to_archiver', { task: 'archive INV-1' }),
        ],
      },
      { content: 'INV-1 validated and archived.' },
      { content: '{"validated": ["INV-1"], "failed": []}' }, // the structured final answer
    );
    const graph = new TaskGraph();
    addQueueSupervisor(graph, {
      id: 'supervisor',
      goal: 'Validate and archive INV-1.',
      members,
      responseFormat: z.object({ validated: z.array(z.string()), failed: z.array(z.string()) }),
    });
    await graph.run(registry);

    expect(body(0).tools?.map((t) => t.function.name)).toEqual([
      'task_management',
      'transfer_to_validator',
      'transfer_to_archiver',
    ]);
    // The validator works on its own conversation, with its own tool only.
    expect(body(2).tools?.map((t) => t.function.name)).toEqual(['check_invoice']);
    expect(body(2).messages).toEqual([
      { role: 'system', content: 'You validate invoices.' },
      { role: 'user', content: 'Validate INV-1' },
    ]);
    expect(body(3).messages.at(-1)).toMatchObject({ role: 'tool', content: '{"id":"INV-1","valid":true}' });
    // Its answer is the result of the hand-off call; the archiver's too.
    expect(body(4).messages.at(-1)).toEqual({
      role: 'tool',
      content: 'INV-1 is valid.',
      tool_call_id: 'call_1_0',
    });
    expect(body(5).messages.slice(-2)).toEqual([
      { role: 'tool', content: "Task 'INV-1' marked as done.", tool_call_id: 'call_4_0' },
      { role: 'tool', content: '{"archived":"archive INV-1"}', tool_call_id: 'call_4_1' },
    ]);
    expect(archived).toEqual(['archive INV-1']);
    // The structured final answer: one more call, asking for the schema, with no tools.
    expect(body(6).tools).toBeUndefined();
    expect(body(6).response_format).toMatchObject({ type: 'json_schema' });
    const result = supervisorResult(graph, 'supervisor');
    expect(result).toMatchObject({
      status: 'done',
      answer: 'INV-1 validated and archived.',
      structuredResponse: { validated: ['INV-1'], failed: [] },
    });
    expect(result?.queue.done).toEqual([{ task: 'INV-1', result: 'valid' }]);

    // The trace replays with no request, and the member's code does not run again.
    const loaded = TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    await loaded.run(registry);
    expect(srv.requests).toHaveLength(7);
    expect(archived).toHaveLength(1);
    expect(supervisorResult(loaded, 'supervisor')?.structuredResponse).toEqual({
      validated: ['INV-1'],
      failed: [],
    });
  });

  it('R1-14 a thread continues with its conversation and its queue kept', async () => {
    const { registry, srv, body } = await setup();
    srv.enqueue(
      {
        toolCalls: [queueCall({ mode: 'add_tasks', new_tasks: ['A', 'B'] }), queueCall({ mode: 'get_next' })],
      },
      { toolCalls: [queueCall({ mode: 'mark_done', result: 'did A' })] },
      { content: 'A is done; B waits.' },
    );
    const first = new TaskGraph();
    addQueueSupervisor(first, { id: 'monday', goal: 'Do A and B, A first. Stop after A.' });
    await first.run(registry);
    const monday = supervisorResult(first, 'monday');
    expect(monday?.queue.pending).toEqual(['B']);

    srv.enqueue(
      { toolCalls: [queueCall({ mode: 'get_next' })] },
      { toolCalls: [queueCall({ mode: 'mark_done', result: 'did B' })] },
      { content: 'B is done too.' },
    );
    const second = new TaskGraph();
    addQueueSupervisor(second, {
      id: 'tuesday',
      goal: 'Now finish the rest.',
      tasks: ['C'],
      continueFrom: monday as NonNullable<typeof monday>,
    });
    await second.run(registry);
    // The model sees the whole thread, then the new message.
    const thread = body(3).messages;
    expect(thread.slice(0, -1)).toEqual(
      (monday?.messages ?? []).map((m) => expect.objectContaining({ role: m.role, content: m.content })),
    );
    expect(thread.at(-1)).toEqual({ role: 'user', content: 'Now finish the rest.' });
    expect(queueRecords(second, 'tuesday')[0]).toMatchObject({ op: 'getNext', task: 'B' });
    expect(supervisorResult(second, 'tuesday')?.queue).toMatchObject({
      pending: ['C'],
      done: [
        { task: 'A', result: 'did A' },
        { task: 'B', result: 'did B' },
      ],
    });
  });
});
