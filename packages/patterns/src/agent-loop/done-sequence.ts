import { TaskGraphError } from '@taskgraph/core';
import type { LoopEntity } from './loop-message.js';

/**
 * One token of langroid's done-sequence DSL: `T` a message with a tool call (`T[name]` that tool), `A` an
 * agent (function) message, `L` an LLM message, `U` a user message, `N` a step with no response,
 * `C[regex]` a message whose content matches.
 */
export type DoneToken =
  | { kind: 'T'; name: string | undefined }
  | { kind: 'A' | 'L' | 'U' | 'N' }
  | { kind: 'C'; pattern: RegExp };

export interface DoneSequence {
  text: string;
  tokens: readonly DoneToken[];
}

/** What each step committed, as the DSL sees it; the loop state keeps the last few. */
export interface StepSummary {
  entity: LoopEntity | 'none';
  tools: string[];
  content: string;
}

/** Parses `"T[calc], A"`; throws INVALID_ARGUMENT naming the sequence and the position. */
export function parseDoneSequence(text: string, api = 'AgentLoop'): DoneSequence {
  const tokens: DoneToken[] = [];
  let i = 0;
  const fail = (problem: string): never => {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: \`doneSequences\` entry "${text}" ${problem} at position ${i}. Write tokens T, T[name], A, L, U, N or C[regex], separated by commas.`,
    );
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (char === ',' || char === ' ') {
      i++;
      continue;
    }
    i++;
    let argument: string | undefined;
    if (text[i] === '[') {
      const end = closingBracket(text, i + 1);
      if (end < 0) fail('has an unclosed "["');
      argument = text.slice(i + 1, end);
      i = end + 1;
    }
    if (char === 'T') tokens.push({ kind: 'T', name: argument });
    else if (char === 'C' && argument !== undefined)
      tokens.push({ kind: 'C', pattern: regex(argument, fail) });
    else if ((char === 'A' || char === 'L' || char === 'U' || char === 'N') && argument === undefined)
      tokens.push({ kind: char });
    else fail(`has an unknown token "${char}${argument === undefined ? '' : `[${argument}]`}"`);
  }
  if (tokens.length === 0) fail('is empty');
  return { text, tokens };
}

/** Whether the last steps match the sequence, token by token, the last token on the newest step. */
export function matchesDoneSequence(sequence: DoneSequence, steps: readonly StepSummary[]): boolean {
  const n = sequence.tokens.length;
  if (steps.length < n) return false;
  const tail = steps.slice(steps.length - n);
  return sequence.tokens.every((token, i) => tokenMatches(token, tail[i] as StepSummary));
}

function tokenMatches(token: DoneToken, step: StepSummary): boolean {
  switch (token.kind) {
    case 'T':
      return token.name === undefined ? step.tools.length > 0 : step.tools.includes(token.name);
    case 'A':
      return step.entity === 'agent';
    case 'L':
      return step.entity === 'llm';
    case 'U':
      return step.entity === 'user';
    case 'N':
      return step.entity === 'none';
    case 'C':
      return token.pattern.test(step.content);
  }
}

function closingBracket(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ']') return i;
  }
  return -1;
}

function regex(source: string, fail: (problem: string) => never): RegExp {
  try {
    return new RegExp(source);
  } catch {
    return fail(`has an invalid regular expression "${source}"`);
  }
}
