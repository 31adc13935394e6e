import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { CliContext } from './cli-context.js';
import type { CliIO } from './cli-io.js';
import { processIO } from './cli-io.js';
import { createProgram } from './create-program.js';
import { EXIT } from './exit-codes.js';
import { errorDocument, reportError } from './report-error.js';

/**
 * Runs the `taskgraph` command line (`argv` without node and the script) and resolves to its exit
 * code. Never throws: every error becomes one line on stderr (and `{ "error": … }` with `--json`).
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const context: CliContext = { io, command: '', json: false, partial: undefined };
  const program = createProgram(context, version());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const debug = argv.includes('--debug') || /\btaskgraph\b/.test(process.env.DEBUG ?? '');
    reportError(io, error, { command: context.command || 'taskgraph', debug });
    if (context.json) io.out(JSON.stringify({ ...context.partial, ...errorDocument(error) }, null, 2));
    const code = errorDocument(error).error.code;
    return code === 'CANCELLED' ? EXIT.cancelled : code === 'AWAITING_ANSWERS' ? EXIT.waiting : EXIT.error;
  }
}

function version(): string {
  try {
    const url = new URL('../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
