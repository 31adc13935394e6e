import { Command } from 'commander';
import type { CliContext } from './cli-context.js';
import { addAnswerCommand } from './commands/answer-command.js';
import { addDiffCommand } from './commands/diff-command.js';
import { addEditCommand } from './commands/edit-command.js';
import { addExportCommand } from './commands/export-command.js';
import { addInitCommand } from './commands/init-command.js';
import { addReplayCommand } from './commands/replay-command.js';
import { addRunCommand } from './commands/run-command.js';
import { addSchemaCommand } from './commands/schema-command.js';
import { addShowCommand } from './commands/show-command.js';
import { addValidateCommand } from './commands/validate-command.js';
import { addViewCommand } from './commands/view-command.js';
import { addWorkerCommand } from './commands/worker-command.js';

/** The `taskgraph` command and its subcommands; usage errors throw CommanderError instead of exiting. */
export function createProgram(context: CliContext, version: string): Command {
  const program = new Command('taskgraph')
    .description('Run LLM programs written as a graph of tasks; show, edit, diff and replay their traces.')
    .version(version)
    .option('--debug', 'print the stack of an error (also DEBUG=taskgraph)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.out(text.trimEnd()),
      writeErr: (text) => context.io.err(text.trimEnd()),
      // Usage errors as one line, like every other error.
      outputError: (text, write) => write(`taskgraph: ${text.replace(/^error: /, '').trim()} (see --help)`),
    })
    .addHelpText(
      'after',
      `
Example:
  taskgraph init my-program
  taskgraph run examples/quickstart/src/cli-entry.ts --trace quickstart.json
  taskgraph edit quickstart.json list-1 response '"red\\ngreen\\nblue"'
  taskgraph replay quickstart.json --registry examples/quickstart/src/cli-entry.ts

Every command takes --json and then prints one JSON document. Docs: docs/cli.md`,
    );
  program.hook('preAction', (_program, action) => {
    context.command = action.name();
    context.json = Boolean(action.opts().json);
  });
  for (const add of [
    addInitCommand,
    addRunCommand,
    addReplayCommand,
    addShowCommand,
    addEditCommand,
    addAnswerCommand,
    addDiffCommand,
    addValidateCommand,
    addSchemaCommand,
    addViewCommand,
    addExportCommand,
    addWorkerCommand,
  ]) {
    add(program, context);
  }
  return program;
}
