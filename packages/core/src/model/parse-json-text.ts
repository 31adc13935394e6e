import { TaskGraphError } from './errors.js';

const FENCE = /^```[a-zA-Z0-9_-]*\s*\n([\s\S]*?)\n?```\s*$/;

/** Parses JSON from a model's reply, allowing a surrounding code fence; errors carry the raw text. */
export function parseJsonText(text: string, taskPath: readonly string[] = []): unknown {
  const trimmed = text.trim();
  const fenced = FENCE.exec(trimmed);
  const body = fenced ? (fenced[1] as string) : trimmed;
  try {
    return JSON.parse(body);
  } catch (error) {
    const where = taskPath.length > 0 ? ` of task "${taskPath.join(' > ')}"` : '';
    const parseError = new TaskGraphError(
      'OUTPUT_PARSE',
      `parseJsonText: the reply${where} is not valid JSON (${(error as Error).message}). Raw text: ${JSON.stringify(text.slice(0, 200))}`,
      { cause: error, ...(taskPath.length > 0 ? { taskPath } : {}) },
    );
    Object.assign(parseError, { rawText: text });
    throw parseError;
  }
}
