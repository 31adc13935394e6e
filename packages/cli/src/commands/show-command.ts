import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { formatTask } from '../format-task.js';
import { formatTree } from '../format-tree.js';
import { invalidArgument } from '../invalid-argument.js';
import { formatAddress, resolveAddress } from '../task-address.js';
import { taskRecord } from '../task-record.js';
import { treeDocument } from '../task-tree.js';
import { readTraceFile } from '../trace-files.js';

const API = 'taskgraph show';

interface ShowFlags {
  task?: string;
  json?: boolean;
}

export function addShowCommand(program: Command, context: CliContext): void {
  program
    .command('show')
    .description(
      'Shows the tasks of a trace as a tree (nested graphs indented) with status, time, tokens and cost, or one task in full.',
    )
    .argument('<trace>', 'the trace file')
    .option(
      '--task <task>',
      'one task in full: prompt, response, output, error, attempts (outer>inner for nested tasks)',
    )
    .option('--json', 'print the tree (or the task record) as one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  taskgraph show trace.json
  taskgraph show trace.json --task 'sections>draft'`,
    )
    .action(async (tracePath: string, flags: ShowFlags) => {
      const graph = await readTraceFile(tracePath, API, context.io);
      if (flags.task === undefined) {
        const document = treeDocument(graph, tracePath);
        if (flags.json) printJson(context.io, document);
        else context.io.out(formatTree(document));
        return;
      }
      const taskPath = resolveAddress(graph, flags.task, API);
      const address = formatAddress(taskPath);
      const record = taskRecord(graph.toJSON(), taskPath);
      if (!record) throw invalidArgument(`${API}: task "${address}" has no record in the trace.`);
      if (flags.json) printJson(context.io, { trace: tracePath, task: address, taskPath, record });
      else context.io.out(formatTask(address, record));
    });
}
