import type { CliIO } from './cli-io.js';

export interface ReportOptions {
  /** The command that failed (`run`, `edit`…), named at the start of the line. */
  command: string;
  /** Print the stack (and causes) after the line. */
  debug: boolean;
}

/** What `--json` prints for an error. */
export interface ErrorDocument {
  error: {
    code: string;
    name: string;
    message: string;
    taskPath?: string[];
    /** The JSON path of the problem, for an invalid trace. */
    path?: string;
  };
}

/** Prints an error as one line on stderr (`taskgraph <command>: <message>`); the stack only when debugging. */
export function reportError(io: CliIO, error: unknown, options: ReportOptions): void {
  const document = errorDocument(error);
  const message = document.error.message;
  const line = message.startsWith('taskgraph') ? message : `taskgraph ${options.command}: ${message}`;
  const known = document.error.code !== 'UNEXPECTED';
  const hint = known || options.debug ? '' : ' (run with --debug for the stack)';
  io.err(`${line}${hint}`);
  if (options.debug) io.err(stackOf(error));
}

/** The error as plain data: its code (`UNEXPECTED` when it has none), message on one line, task and JSON path. */
export function errorDocument(error: unknown): ErrorDocument {
  if (!(error instanceof Error)) {
    return { error: { code: 'UNEXPECTED', name: 'NonError', message: oneLine(String(error)) } };
  }
  const fields = error as Error & { code?: unknown; taskPath?: unknown; path?: unknown };
  const code = typeof fields.code === 'string' && /^[A-Z_]+$/.test(fields.code) ? fields.code : 'UNEXPECTED';
  const message = code === 'UNEXPECTED' ? `${error.name}: ${error.message}` : error.message;
  const document: ErrorDocument = { error: { code, name: error.name, message: oneLine(message) } };
  if (Array.isArray(fields.taskPath)) document.error.taskPath = fields.taskPath.map(String);
  if (typeof fields.path === 'string') document.error.path = fields.path;
  return document;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('Caused by:');
  }
  return lines.join('\n');
}
