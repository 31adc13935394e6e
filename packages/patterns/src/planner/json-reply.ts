import { parseJsonText } from '@taskgraph/core';
import type { z } from 'zod';

/** The outcome of reading a JSON reply: the value, or why it is unusable with the text as it came. */
export type JsonReply<T> =
  | { ok: true; value: T /** Whether the deterministic repairs were needed. */; repaired: boolean }
  | { ok: false; error: string; rawText: string };

const FENCE = /```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)\n?```/;

/**
 * Deterministic repairs of a model's JSON, without any model: the text inside a code fence, from the
 * first `{` or `[`; raw line breaks inside strings escaped; trailing commas removed; an unterminated
 * string closed; unbalanced braces and brackets closed in order.
 */
export function repairJsonText(text: string): string {
  const fenced = FENCE.exec(text);
  const body = (fenced ? (fenced[1] as string) : text).trim();
  const start = body.search(/[{[]/);
  const source = start > 0 ? body.slice(start) : body;
  let out = '';
  const closers: string[] = [];
  let inString = false;
  let escaped = false;
  for (const char of source) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      out += char === '\n' ? '\\n' : char === '\r' || char === '\t' ? ' ' : char;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') closers.push('}');
    else if (char === '[') closers.push(']');
    else if (char === '}' || char === ']') {
      if (closers.at(-1) !== char) continue; // a stray closer: drop it
      closers.pop();
      out = out.replace(/,\s*$/, '');
    }
    out += char;
  }
  if (inString) out += escaped ? '\\"' : '"';
  out = out.replace(/[,:]\s*$/, '');
  while (closers.length > 0) {
    out = out.replace(/,\s*$/, '');
    out += closers.pop();
  }
  return out;
}

/**
 * Reads a model's JSON reply: strict parsing first (core's parseJsonText), then the deterministic repairs, then `schema`.
 * Never throws; a reply still unusable comes back with the error to show a repairing model.
 */
export function parseJsonReply<T>(text: string, schema: z.ZodType<T>): JsonReply<T> {
  let value: unknown;
  let repaired = false;
  try {
    value = parseJsonText(text); // strict, a surrounding code fence allowed
  } catch (strictError) {
    repaired = true;
    try {
      value = JSON.parse(repairJsonText(text));
    } catch {
      const cause = ((strictError as Error).cause as Error | undefined)?.message ?? 'unparsable';
      return { ok: false, error: `not valid JSON (${cause})`, rawText: text };
    }
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data, repaired };
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  return { ok: false, error: `valid JSON of the wrong shape (${problems.join('; ')})`, rawText: text };
}
