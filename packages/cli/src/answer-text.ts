import { z } from 'zod';

/** An answer typed as text: JSON when it reads as JSON (`true`, `{"ok":true}`, `"quoted"`), else the text itself. */
export function answerFromText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Why an answer does not satisfy the JSON Schema a human task's parser asks for, or undefined when it does. */
export function answerProblem(answer: unknown, schema: unknown): string | undefined {
  if (schema === undefined) return undefined;
  let parsed: ReturnType<z.ZodType['safeParse']>;
  try {
    parsed = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(answer);
  } catch {
    // A schema zod cannot read is checked by the run instead.
    return undefined;
  }
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return `${issue?.message ?? 'invalid'}${at}`;
}

/** A question as one line of text: text as it is, anything else as JSON. */
export function questionText(question: unknown): string {
  return typeof question === 'string' ? question : JSON.stringify(question);
}
