import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { visitTasks } from '../task-address.js';
import { readTraceFileVersion } from '../trace-files.js';

const API = 'taskgraph validate';

interface ValidateFlags {
  json?: boolean;
}

export function addValidateCommand(program: Command, context: CliContext): void {
  program
    .command('validate')
    .description(
      'Checks that a file is a valid trace of a format version this taskgraph reads; names the JSON path of the first problem. Reads only: the file is never changed.',
    )
    .argument('<trace>', 'the trace file')
    .option(
      '--json',
      'print one JSON document: { valid, … } or { valid: false, error: { code, path, message } }',
    )
    .addHelpText(
      'after',
      `
Example:
  taskgraph validate trace.json && echo valid`,
    )
    .action(async (tracePath: string, flags: ValidateFlags) => {
      context.partial = { trace: tracePath, valid: false };
      const { graph, version } = await readTraceFileVersion(tracePath, API, context.io);
      let tasks = 0;
      visitTasks(graph, () => {
        tasks++;
      });
      context.partial = undefined;
      if (flags.json) {
        printJson(context.io, {
          trace: tracePath,
          valid: true,
          version,
          tasks,
          status: graph.runInfo?.status ?? null,
        });
      } else {
        context.io.out(
          `${tracePath}: a valid trace (format version ${version}, ${tasks} task${tasks === 1 ? '' : 's'}${graph.runInfo ? `, last run ${graph.runInfo.status}` : ''}).`,
        );
      }
    });
}
