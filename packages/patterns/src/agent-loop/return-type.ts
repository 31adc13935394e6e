import { parseJsonText } from '@taskgraph/core';
import type { ZodType } from 'zod';
import type { LoopMessage } from './loop-message.js';

/**
 * A value of `schema`'s type from a loop's result, trying in langroid's order: the content as a
 * string; the content as JSON; the arguments of the first tool call that match; the arguments of all
 * tool calls as a list; the content parsed as a number or boolean; a field of any tool call's arguments.
 * Null when none matches.
 */
export function extractTyped<T>(message: LoopMessage | null, schema: ZodType<T>): T | null {
  if (message === null) return null;
  const content = (message.content ?? '').trim();
  const args = (message.toolCalls ?? []).map((call) => parse(call.function.arguments));
  const candidates: unknown[] = [];
  if (content !== '') candidates.push(content, parse(content));
  candidates.push(...args);
  if (args.length > 0) candidates.push(args);
  if (content !== '')
    candidates.push(Number(content), content === 'true' ? true : content === 'false' ? false : undefined);
  for (const value of args) {
    if (value !== null && typeof value === 'object') candidates.push(...Object.values(value));
  }
  for (const candidate of candidates) {
    if (candidate === undefined || Number.isNaN(candidate)) continue;
    const parsed = schema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

function parse(text: string): unknown {
  try {
    return parseJsonText(text, []);
  } catch {
    return undefined;
  }
}
