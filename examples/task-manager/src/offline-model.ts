import type { OpenAIHandler } from '@taskgraph/openai';
import type { CompletionReply, RecordedRequest, TestServer } from '@taskgraph/openai/testing';
import { startOfflineHandler as startHandler } from '@taskgraph/openai/testing';

const LAKES = ['Lake Victoria', 'Lake Tanganyika', 'Lake Malawi'];

const json = (value: unknown): CompletionReply => ({ content: JSON.stringify(value) });

/** The text after `label` in the request's first (system) message. */
function systemField(request: RecordedRequest, label: string): string {
  const system = (request.body as { messages: Array<{ content: string }> }).messages[0]?.content ?? '';
  return system.split(label)[1]?.split('\n')[0]?.trim() ?? '';
}

/**
 * What a planner model would answer, by the kind of call: a plan of three look-ups and a brief; after
 * each look-up, keep its notes in stored_info; after the brief, the final result and goal complete. The
 * worker writes the brief from the stored notes.
 */
function answer(request: RecordedRequest): CompletionReply {
  const text = request.lastUserText;
  if (text.startsWith('Write the ordered list')) {
    return json({
      current_tasks: [
        ...LAKES.map((lake) => ({ task: `look up ${lake}`, tool: 'search_notes', input: { query: lake } })),
        'write the brief',
      ],
      thoughts: 'Look up each lake, then write the brief from the notes.',
    });
  }
  const done = /^The task "(.*)" is done\. Its result:\n([\s\S]*?)\nReflect/.exec(text);
  if (done) {
    const [, task = '', result = ''] = done;
    if (task === 'write the brief') return json({ final_result: { brief: result }, goal_complete: true });
    const lake = task.replace(/^look up /, '');
    // Replies as a model often does: JSON in a code fence. The planner's parser takes it as it is.
    return {
      content: `\`\`\`json\n${JSON.stringify({ stored_info: { [lake]: result }, goal_complete: false })}\n\`\`\``,
    };
  }
  if (text.startsWith('No task is left')) return json({ goal_complete: true });
  if (text.startsWith('Your task: write the brief')) {
    const info = JSON.parse(systemField(request, 'Info so far:') || '{}') as {
      stored_info?: Record<string, string>;
    };
    const lines = Object.entries(info.stored_info ?? {}).map(([lake, notes]) => `- ${lake}: ${brief(notes)}`);
    return { content: `The three largest lakes of Africa:\n${lines.join('\n')}` };
  }
  return { content: 'Nothing to do.' };
}

/** "<area> … Shores: <countries>." from a tool record's notes. */
function brief(notes: string): string {
  const area = /about ([\d,]+ km²)/.exec(notes)?.[1] ?? 'area unknown';
  const shores = /Shores: ([^.]+)\./.exec(notes)?.[1] ?? 'shores unknown';
  return `${area}; shores: ${shores}.`;
}

/** The OpenAI handler pointed at an in-process test server answering as above: not a real model. */
export async function startOfflineHandler(): Promise<{ handler: OpenAIHandler; server: TestServer }> {
  return startHandler({
    respond: answer,
    description:
      'OpenAI-compatible test server started in-process with rule-based replies: not a real model.',
  });
}
