import { diffTraces } from '@taskgraph/core';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { diffDocument, formatDiff } from '../format-diff.js';
import { readTraceFile } from '../trace-files.js';

const API = 'taskgraph diff';

interface DiffFlags {
  json?: boolean;
}

export function addDiffCommand(program: Command, context: CliContext): void {
  program
    .command('diff')
    .description(
      'Shows what differs between two traces, task by task (definition, status, input, prompt, response, output, error), and where they first diverge.',
    )
    .argument('<a>', 'the first trace')
    .argument('<b>', 'the second trace')
    .option('--json', 'print the diff as one JSON document')
    .addHelpText(
      'after',
      `
The exit code is 0 whether or not the traces differ; --json says so in "same".

Example:
  taskgraph diff before.json after.json`,
    )
    .action(async (a: string, b: string, flags: DiffFlags) => {
      const diff = diffTraces(
        await readTraceFile(a, API, context.io),
        await readTraceFile(b, API, context.io),
      );
      if (flags.json) printJson(context.io, diffDocument(diff, a, b));
      else context.io.out(formatDiff(diff, a, b));
    });
}
