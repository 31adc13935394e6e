import { describe, expect, it } from 'vitest';
import { indexTrace } from '../src/view-model/task-index.js';
import { conversations } from '../web/src/model/conversations.js';
import { wordDiff } from '../web/src/model/text-diff.js';
import { textForm } from '../web/src/model/text-form.js';
import { readableText, toTranscript } from '../web/src/model/transcript.js';

const CALL = { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"egg"}' } };

describe('toTranscript', () => {
  it('reads chat messages field by field: text with its line breaks, tool calls with pretty arguments, results', () => {
    const messages = toTranscript([
      { role: 'system', content: 'line one\nline two' },
      { role: 'assistant', content: null, tool_calls: [CALL] },
      { role: 'tool', tool_call_id: 'c1', content: 'boils at 70 °C' },
    ]);
    expect(messages?.map((m) => [m.role, m.text])).toEqual([
      ['system', 'line one\nline two'],
      ['assistant', undefined],
      ['tool', 'boils at 70 °C'],
    ]);
    expect(messages?.[1]?.toolCalls).toEqual([{ id: 'c1', name: 'lookup', arguments: '{\n  "q": "egg"\n}' }]);
    expect(messages?.[2]?.toolCallId).toBe('c1');
  });

  it('is no transcript for values that are not messages (shown as JSON)', () => {
    expect(toTranscript({ fruits: ['kiwi'] })).toBeUndefined();
    expect(toTranscript([{ role: 'user', content: 'hi' }, 3])).toBeUndefined();
    expect(readableText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('textForm', () => {
  it('puts edited texts back in place and keeps roles, tool calls and other fields', () => {
    const prompt = [
      { role: 'user', content: 'old question' },
      { role: 'assistant', content: null, toolCalls: [CALL] },
    ];
    const form = textForm(prompt);
    expect(form?.texts).toEqual(['old question', '']);
    expect(form?.build(['new\nquestion', ''])).toEqual([
      { role: 'user', content: 'new\nquestion' },
      { role: 'assistant', content: null, toolCalls: [CALL] },
    ]);
    expect(textForm({ role: 'assistant', content: 'a', finishReason: 'stop' })?.build(['b'])).toEqual({
      role: 'assistant',
      content: 'b',
      finishReason: 'stop',
    });
    expect(textForm('plain')?.build(['edited'])).toBe('edited');
  });

  it('leaves structured content to the JSON editor', () => {
    expect(textForm([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])).toBeUndefined();
    expect(textForm(42)).toBeUndefined();
  });
});

describe('wordDiff', () => {
  it('marks the words removed and added inside a changed string', () => {
    const parts = wordDiff('the quick brown fox', 'the slow brown fox');
    expect(parts.filter((p) => p.change === 'removed').map((p) => p.text)).toEqual(['quick']);
    expect(parts.filter((p) => p.change === 'added').map((p) => p.text)).toEqual(['slow']);
    expect(
      parts
        .filter((p) => p.change !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe('the slow brown fox');
  });

  it('diffs messages as their transcript text', () => {
    const parts = wordDiff(
      { role: 'assistant', content: 'apple\npear' },
      { role: 'assistant', content: 'kiwi\npear' },
    );
    expect(parts[0]).toEqual({ text: 'assistant:\n', change: 'same' });
    expect(parts.find((p) => p.change === 'removed')?.text).toBe('apple');
  });
});

describe('conversations', () => {
  const llm = (id: string, startedAt: number, prompt: unknown, response: unknown, createdBy?: string) => ({
    id,
    kind: 'llm' as const,
    promptFn: 'p',
    parser: 'builtin.text',
    handler: 'h',
    status: 'done' as const,
    startedAt,
    prompt,
    response,
    ...(createdBy ? { createdBy } : {}),
  });
  const system = { role: 'system', content: 'You help.' };
  const user = { role: 'user', content: 'Question?' };
  const reply = { role: 'assistant', content: 'Need a tool.', toolCalls: [CALL] };
  const result = { role: 'tool', toolCallId: 'c1', content: 'fact' };

  it('groups calls by the root of their creation chain and shows each message once, in start order', () => {
    const index = indexTrace({
      graph: {
        tasks: [
          { id: 'loop', kind: 'function', fn: 'f', status: 'done', startedAt: 0 },
          llm(
            'loop/turn-2',
            20,
            [system, user, reply, result],
            { role: 'assistant', content: 'Done.' },
            'loop/turn-1',
          ),
          llm('loop/turn-1', 10, [system, user], { ...reply, finishReason: 'tool_calls' }, 'loop'),
          llm('other', 5, [{ role: 'user', content: 'Elsewhere' }], 'ok'),
        ],
      },
    });
    const all = conversations(index);
    expect(all.map((c) => c.key)).toEqual(['other', 'loop']);
    const loop = all[1];
    expect(loop?.threads).toHaveLength(1);
    const [first, second] = loop?.threads[0]?.turns ?? [];
    expect(first?.key).toBe('loop/turn-1');
    expect(first?.added.map((m) => m.role)).toEqual(['system', 'user']);
    expect(second?.repeated).toBe(3);
    expect(second?.added.map((m) => m.role)).toEqual(['tool']);
    expect(second?.response?.[0]?.text).toBe('Done.');
  });

  it('starts a new thread when a prompt does not continue an earlier one', () => {
    const index = indexTrace({
      graph: {
        tasks: [
          { id: 'root', kind: 'function', fn: 'f', status: 'done', startedAt: 0 },
          llm('root/a', 1, [user], 'one', 'root'),
          llm('root/b', 2, [{ role: 'user', content: 'Another agent' }], 'two', 'root'),
        ],
      },
    });
    expect(conversations(index)[0]?.threads.map((t) => t.turns.map((turn) => turn.key))).toEqual([
      ['root/a'],
      ['root/b'],
    ]);
  });

  it('keeps a prompt that is not messages whole, as JSON', () => {
    const index = indexTrace({ graph: { tasks: [llm('odd', 1, { template: 'x', vars: [1] }, 'fine')] } });
    const turn = conversations(index)[0]?.threads[0]?.turns[0];
    expect(turn?.added).toHaveLength(1);
    expect(turn?.added[0]?.structured).toEqual({ template: 'x', vars: [1] });
    expect(turn?.response?.[0]?.text).toBe('fine');
  });
});
