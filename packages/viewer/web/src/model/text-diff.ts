import { diffWordsWithSpace } from 'diff';
import { readableText } from './transcript.js';

const MAX_EDITS = 4_000;

/** A run of text that both sides share, or that one side added or removed. */
export interface DiffPart {
  text: string;
  change: 'same' | 'added' | 'removed';
}

/**
 * A word-level diff of two values as a person reads them (strings as they are, prompts and responses
 * as transcripts, other values as pretty JSON), by jsdiff's `diffWordsWithSpace`.
 */
export function wordDiff(before: unknown, after: unknown): DiffPart[] {
  const old = readableText(before);
  const next = readableText(after);
  // Past this many edits the diff would take long and read no better than the two whole texts.
  const parts = diffWordsWithSpace(old, next, { maxEditLength: MAX_EDITS }) ?? [
    { value: old, removed: true, added: false, count: 1 },
    { value: next, added: true, removed: false, count: 1 },
  ];
  return parts.map((part) => ({
    text: part.value,
    change: part.added ? 'added' : part.removed ? 'removed' : 'same',
  }));
}
