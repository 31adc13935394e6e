import { traceJsonSchema } from '@taskgraph/core';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';

export function addSchemaCommand(program: Command, context: CliContext): void {
  program
    .command('schema')
    .description('Prints the JSON Schema (draft 2020-12) of the trace format, for editors and other tools.')
    .option('--json', 'the same: the schema is JSON already')
    .addHelpText(
      'after',
      `
Example:
  taskgraph schema > trace.schema.json`,
    )
    .action(() => {
      printJson(context.io, traceJsonSchema());
    });
}
