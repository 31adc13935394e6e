import type { OpenAIHandler } from '@taskgraph/openai';
import type { CompletionReply, RecordedRequest, TestServer } from '@taskgraph/openai/testing';
import { startOfflineHandler as startHandler } from '@taskgraph/openai/testing';

type Message = { role: string; content: string | null; tool_calls?: unknown[] };

const queue = (args: Record<string, unknown>) => ({ name: 'task_management', arguments: args });

/**
 * What a careful supervisor would answer, decided from the last tool result: add the invoices, take
 * one, check it, mark it done or failed, take the next… then check the status and sum up.
 */
function supervise(request: RecordedRequest): CompletionReply {
  const messages = (request.body as { messages: Message[] }).messages;
  const last = messages.at(-1);
  if (last?.role !== 'tool') {
    const ids = request.lastUserText.match(/INV-\d+/g) ?? [];
    return { toolCalls: [queue({ mode: 'add_tasks', new_tasks: ids }), queue({ mode: 'get_next' })] };
  }
  const text = last.content ?? '';
  const current = /^New Current Task is '(.+)'\./.exec(text)?.[1];
  if (current) return { toolCalls: [{ name: 'check_invoice', arguments: { id: current } }] };
  if (text.startsWith('{')) {
    const check = JSON.parse(text) as { valid: boolean; problem?: string };
    const outcome = check.valid
      ? queue({ mode: 'mark_done', result: 'valid' })
      : queue({ mode: 'mark_failed', error: check.problem ?? 'invalid' });
    return { toolCalls: [outcome, queue({ mode: 'get_next' })] };
  }
  if (text.startsWith('There are no tasks')) return { toolCalls: [queue({ mode: 'status' })] };
  return { content: `All invoices are checked. ${text}` };
}

/**
 * The OpenAI handler pointed at an OpenAI-compatible test server started in this process, whose
 * replies follow the rules above. The trace names it for what it is: not a real model.
 */
export async function startOfflineHandler(): Promise<{ handler: OpenAIHandler; server: TestServer }> {
  return startHandler({
    respond: supervise,
    description:
      'OpenAI-compatible test server started in-process with rule-based replies: not a real model.',
  });
}
