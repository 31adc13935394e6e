import { readFile } from 'node:fs/promises';
import { invalidArgument } from './invalid-argument.js';

/**
 * A JSON value given on the command line: the JSON text itself, `@path` for a file holding it, or `@-`
 * for standard input. Throws INVALID_ARGUMENT naming `what` when the file is missing or the text is not JSON.
 */
export async function readJsonArgument(text: string, what: string, api: string): Promise<unknown> {
  let source = text;
  let label: string | undefined;
  if (text.startsWith('@')) {
    const path = text.slice(1);
    label = path === '-' ? 'standard input' : `"${path}"`;
    try {
      source = path === '-' ? await readStdin() : await readFile(path, 'utf8');
    } catch (error) {
      throw invalidArgument(`${api}: cannot read ${what} from ${label} (${(error as Error).message}).`, {
        cause: error,
      });
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    const where = label === undefined ? '' : ` in ${label}`;
    const hint = label === undefined ? ` A string is written with its quotes: '"text"'.` : '';
    throw invalidArgument(`${api}: ${what}${where} is not JSON (${(error as Error).message}).${hint}`, {
      cause: error,
    });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
