import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonReply, repairJsonText } from './json-reply.js';

const schema = z.object({ a: z.number() }).loose();

describe('JSON replies', () => {
  it('R0-7 strict parse first, then deterministic repairs, then a typed failure that keeps the raw text', () => {
    expect(parseJsonReply('{"a":1}', schema)).toEqual({ ok: true, value: { a: 1 }, repaired: false });
    expect(parseJsonReply('{"a":1', schema)).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    expect(parseJsonReply('```json\n{"a": 1, "b": ["x",]}\n```', schema)).toMatchObject({
      ok: true,
      value: { a: 1, b: ['x'] },
    });
    expect(parseJsonReply('Here it is: {"a": 2, "note": "line one\nline two', schema)).toMatchObject({
      ok: true,
      value: { a: 2, note: 'line one\nline two' },
    });
    expect(parseJsonReply('no json here', schema)).toMatchObject({ ok: false, rawText: 'no json here' });
    expect(repairJsonText('{"list": [{"x": 1}, {"y": "op')).toBe('{"list": [{"x": 1}, {"y": "op"}]}');
  });

  it('R0-8 a reply missing a required key is an error naming the key, never a crash', () => {
    const plan = z.object({ current_tasks: z.array(z.string()) });
    const reply = parseJsonReply('{"tasks": ["a"]}', plan);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error).toContain('current_tasks');
  });
});
