/**
 * The `chat.completion.chunk` objects an OpenAI-compatible server streams for a chat completion: a role
 * chunk, the content word by word, each tool call's name then its arguments in two halves, the refusal,
 * a chunk with the finish reason, and a last chunk with the usage when the request asked for it.
 */
export function streamChunks(completion: Record<string, unknown>, includeUsage: boolean): unknown[] {
  const choice = (completion.choices as Array<Record<string, unknown>>)[0] ?? {};
  const message = (choice.message ?? {}) as Record<string, unknown>;
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  };
  const chunk = (delta: Record<string, unknown>, finishReason: unknown = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const content = message.content;
  const chunks: unknown[] = [chunk({ role: 'assistant', content: typeof content === 'string' ? '' : null })];
  if (typeof content === 'string') {
    for (const piece of content.split(/(?<=\s)(?=\S)/))
      if (piece !== '') chunks.push(chunk({ content: piece }));
  }
  const calls = (message.tool_calls ?? []) as Array<{
    id: string;
    function: { name: string; arguments: string };
  }>;
  calls.forEach((call, index) => {
    const args = call.function.arguments;
    const half = args.length >> 1;
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const part of [args.slice(0, half), args.slice(half)]) {
      if (part !== '') chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  if (typeof message.refusal === 'string') chunks.push(chunk({ refusal: message.refusal }));
  chunks.push(chunk({}, choice.finish_reason ?? 'stop'));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}

/** The server-sent events line of one chunk. */
export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
