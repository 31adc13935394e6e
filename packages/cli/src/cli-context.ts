import type { CliIO } from './cli-io.js';

/** What every command gets, and what the error report learns about the command that failed. */
export interface CliContext {
  io: CliIO;
  /** The command being run (`run`, `edit`…), set before its action starts. */
  command: string;
  /** Whether the command was given `--json`. */
  json: boolean;
  /** Fields of the `--json` document that an error report completes (the status and trace of a failed run…). */
  partial: Record<string, unknown> | undefined;
}
