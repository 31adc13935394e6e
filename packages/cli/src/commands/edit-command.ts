import type { EditField, FunctionRegistry } from '@taskgraph/core';
import { editTrace, traceText } from '@taskgraph/core';
import { closest } from '@taskgraph/core/internal';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { formatPlan, planDocument } from '../format-plan.js';
import { invalidArgument } from '../invalid-argument.js';
import type { LoadedProgram } from '../load-program.js';
import { loadProgram } from '../load-program.js';
import { planReplay } from '../plan-replay.js';
import { readJsonArgument } from '../read-json-argument.js';
import { formatAddress, resolveAddress } from '../task-address.js';
import { openTrace } from '../trace-files.js';

const API = 'taskgraph edit';
const FIELDS: readonly EditField[] = ['prompt', 'response', 'output', 'input'];
/** The task argument that names the root graph itself, for its `input`. */
const ROOT = '-';

interface EditFlags {
  registry?: string;
  json?: boolean;
}

export function addEditCommand(program: Command, context: CliContext): void {
  program
    .command('edit')
    .description(
      "Sets a task's prompt, response or output (or a graph's input) in a trace, after checking it; writes the trace atomically, then shows what a replay would re-run.",
    )
    .argument('<trace>', 'the trace file, changed in place')
    .argument(
      '<task>',
      `the task (outer>inner for nested tasks); ${ROOT} for the root graph, with the field input`,
    )
    .argument('<field>', `one of ${FIELDS.join(', ')}`)
    .argument(
      '<value>',
      'the new value as JSON (a string keeps its quotes: \'"text"\'), @file holding JSON, or @-',
    )
    .option('--registry <module>', "plan with the module's function versions instead of the stored ones")
    .option('--json', 'print one JSON document: the edit and the plan')
    .addHelpText(
      'after',
      `
Examples:
  taskgraph edit trace.json list-1 response '"red\\ngreen\\nblue"'
  taskgraph edit trace.json 'sections>draft' output @draft.json
  taskgraph edit trace.json - input '{"kinds":["rivers","birds"]}'`,
    )
    .action(async (tracePath: string, address: string, field: string, text: string, flags: EditFlags) => {
      if (!(FIELDS as readonly string[]).includes(field)) {
        throw invalidArgument(
          `${API}: unknown field "${field}". Fields: ${closest(field, FIELDS).join(', ')}.`,
        );
      }
      const value = await readJsonArgument(text, `the new ${field}`, API);
      const { graph, store } = await openTrace(tracePath, API);
      const taskPath =
        address === ROOT && !graph.task(ROOT) ? undefined : resolveAddress(graph, address, API);
      const loaded: LoadedProgram | undefined = flags.registry
        ? await loadProgram(flags.registry, API, false)
        : undefined;
      try {
        const registry: FunctionRegistry | undefined = loaded?.registry;
        editTrace(graph, { ...(taskPath ? { task: taskPath } : {}), field: field as EditField, value });
        const plan = planReplay(graph, registry);
        await store.commit(traceText(graph));
        const task = taskPath ? formatAddress(taskPath) : ROOT;
        if (flags.json) {
          printJson(context.io, {
            trace: tracePath,
            edit: { task, taskPath: taskPath ?? [], field },
            plan: planDocument(plan),
          });
        } else {
          context.io.err(
            `Edited the ${field} of ${taskPath ? `task ${task}` : 'the graph'} in ${tracePath}.`,
          );
          context.io.out(formatPlan(plan));
        }
      } finally {
        await loaded?.close();
      }
    });
}
