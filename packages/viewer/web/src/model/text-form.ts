import type { TranscriptMessage } from './transcript.js';
import { isRecord, toTranscript } from './transcript.js';

/**
 * A value edited as plain text: one text per message (or the string itself), everything else of the
 * value (roles, tool calls, other fields) kept as it is.
 */
export interface TextForm {
  /** The messages as read, for their role, name and tool calls. */
  messages: TranscriptMessage[];
  texts: string[];
  /** The value with the texts put back in place. */
  build(texts: readonly string[]): unknown;
}

/**
 * The text form of a string, a chat message or a list of them whose contents are text (or empty beside
 * tool calls); undefined for any other value, which is edited as JSON.
 */
export function textForm(value: unknown): TextForm | undefined {
  const messages = toTranscript(value);
  if (!messages || messages.some((m) => m.structured !== undefined)) return undefined;
  const texts = messages.map((m) => m.text ?? '');
  if (typeof value === 'string') return { messages, texts, build: (next) => next[0] ?? '' };
  const originals = Array.isArray(value) ? value : [value];
  const withText = (original: unknown, text: string | undefined) => {
    const message = isRecord(original) ? original : {};
    // A message without text (only tool calls) stays without it until text is typed.
    return message.content === null && (text ?? '') === '' ? message : { ...message, content: text ?? '' };
  };
  return {
    messages,
    texts,
    build: (next) => {
      const built = originals.map((original, i) => withText(original, next[i]));
      return Array.isArray(value) ? built : built[0];
    },
  };
}
