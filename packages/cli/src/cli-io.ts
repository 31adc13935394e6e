/** Where the CLI writes and what it knows of its terminal; commands never touch `process` streams directly. */
export interface CliIO {
  /** The command's result: output, plan, tree, JSON document. */
  out(text: string): void;
  /** Progress, notes and errors. */
  err(text: string): void;
  /** Whether stderr is a terminal (then progress is a live display instead of plain lines). */
  readonly interactive: boolean;
  /** The stream the live display redraws. */
  readonly errStream: NodeJS.WriteStream;
  /** Exit code the command asks for (0 unless set). */
  exitCode: number;
}

/** The CLI's streams: stdout for results, stderr for everything else. */
export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY) && process.env.CI === undefined,
    errStream: process.stderr,
    exitCode: 0,
  };
}

/** Prints one JSON document (the `--json` output of every command). */
export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
