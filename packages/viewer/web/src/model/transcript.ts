/** A tool call an assistant message asks for, with its arguments as readable text. */
export interface TranscriptToolCall {
  id: string | undefined;
  name: string;
  /** The arguments, pretty-printed when they are JSON. */
  arguments: string;
}

/** One message of a prompt or a response, as a person reads it. */
export interface TranscriptMessage {
  role: string;
  name: string | undefined;
  /** The text with its line breaks; undefined when the message has no text (only tool calls). */
  text: string | undefined;
  /** Content that is not text (a list of parts…), shown as JSON. */
  structured: unknown;
  toolCalls: TranscriptToolCall[];
  /** For a tool result: the id of the call it answers. */
  toolCallId: string | undefined;
}

/**
 * Reads an LLM prompt or response as messages: a string is one message, a chat message or a list of
 * them is read field by field (`toolCalls`/`tool_calls`, `toolCallId`/`tool_call_id`). Anything else is
 * not a transcript (undefined), and is shown as JSON.
 */
export function toTranscript(value: unknown, role = 'text'): TranscriptMessage[] | undefined {
  if (typeof value === 'string') return [plain(role, value)];
  if (Array.isArray(value)) {
    const messages = value.map(toMessage);
    return messages.length > 0 && messages.every((m) => m !== undefined) ? messages : undefined;
  }
  const message = toMessage(value);
  return message ? [message] : undefined;
}

function plain(role: string, text: string): TranscriptMessage {
  return { role, name: undefined, text, structured: undefined, toolCalls: [], toolCallId: undefined };
}

function toMessage(value: unknown): TranscriptMessage | undefined {
  if (!isRecord(value) || typeof value.role !== 'string') return undefined;
  const content = value.content;
  const calls = value.toolCalls ?? value.tool_calls;
  const callId = value.toolCallId ?? value.tool_call_id;
  return {
    role: value.role,
    name: typeof value.name === 'string' ? value.name : undefined,
    text: typeof content === 'string' ? content : undefined,
    structured: content === null || typeof content === 'string' ? undefined : content,
    toolCalls: Array.isArray(calls) ? calls.map(toToolCall) : [],
    toolCallId: typeof callId === 'string' ? callId : undefined,
  };
}

function toToolCall(value: unknown): TranscriptToolCall {
  const call = isRecord(value) ? value : {};
  const fn = isRecord(call.function) ? call.function : call;
  const args = fn.arguments;
  return {
    id: typeof call.id === 'string' ? call.id : undefined,
    name: typeof fn.name === 'string' ? fn.name : '(unnamed)',
    arguments: typeof args === 'string' ? prettyJsonText(args) : (JSON.stringify(args, null, 2) ?? ''),
  };
}

/** JSON text pretty-printed; text that is not JSON as it is. */
function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The transcript as plain text, one block per message (what a word diff compares). */
export function transcriptText(messages: readonly TranscriptMessage[]): string {
  return messages
    .map((m) => {
      const head = m.name ? `${m.role} (${m.name})` : m.role;
      const lines = [`${head}:`];
      if (m.toolCallId) lines.push(`[result of ${m.toolCallId}]`);
      if (m.text !== undefined) lines.push(m.text);
      if (m.structured !== undefined) lines.push(JSON.stringify(m.structured, null, 2));
      for (const call of m.toolCalls) lines.push(`→ ${call.name}(${call.arguments})`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Any value as text a person reads: a string as it is, a transcript as its text, else pretty JSON. */
export function readableText(value: unknown): string {
  if (typeof value === 'string') return value;
  const transcript = toTranscript(value);
  if (transcript) return transcriptText(transcript);
  return value === undefined ? '' : (JSON.stringify(value, null, 2) ?? String(value));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
