import { answerTask, traceText } from '@taskgraph/core';
import type { Command } from 'commander';
import { answerFromText } from '../answer-text.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { formatPlan, planDocument } from '../format-plan.js';
import { planReplay } from '../plan-replay.js';
import { formatAddress, resolveAddress } from '../task-address.js';
import { openTrace } from '../trace-files.js';

const API = 'taskgraph answer';

interface AnswerFlags {
  json?: boolean;
}

export function addAnswerCommand(program: Command, context: CliContext): void {
  program
    .command('answer')
    .description(
      "Answers the question of a task that asks a person, in a trace: the answer is checked against the task's schema, the trace written atomically; running the program again resumes from it.",
    )
    .argument('<trace>', 'the trace file, changed in place')
    .argument('<task>', 'the task that asks (outer>inner for nested tasks)')
    .argument(
      '<answer>',
      'the answer: JSON (true, 42, {"ok":true}) or, when it is not JSON, the text as it is',
    )
    .option('--json', 'print one JSON document: the answer and the plan of the next run')
    .addHelpText(
      'after',
      `
Examples:
  taskgraph answer trace.json approve '{"ok":true}'
  taskgraph answer trace.json 'review>reviewer' 'Looks good, ship it.'`,
    )
    .action(async (tracePath: string, address: string, text: string, flags: AnswerFlags) => {
      const { graph, store } = await openTrace(tracePath, API);
      const taskPath = resolveAddress(graph, address, API);
      const value = answerFromText(text);
      answerTask(graph, taskPath, value);
      const plan = planReplay(graph, undefined);
      await store.commit(traceText(graph));
      const task = formatAddress(taskPath);
      if (flags.json) {
        printJson(context.io, {
          trace: tracePath,
          answer: { task, taskPath, value },
          plan: planDocument(plan),
        });
        return;
      }
      context.io.err(`Answered task ${task} in ${tracePath}. Run the program again to go on from it.`);
      context.io.out(formatPlan(plan));
    });
}
