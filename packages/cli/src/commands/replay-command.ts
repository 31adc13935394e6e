import type { FunctionRegistry } from '@taskgraph/core';
import { loadTrace } from '@taskgraph/core';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { formatPlan, planDocument } from '../format-plan.js';
import { invalidArgument } from '../invalid-argument.js';
import type { LoadedProgram } from '../load-program.js';
import { loadProgram } from '../load-program.js';
import { planReplay } from '../plan-replay.js';
import { progressMode, summaryLine } from '../progress-view.js';
import { resolveRerun } from '../resolve-rerun.js';

const API = 'taskgraph replay';

interface ReplayFlags {
  registry?: string;
  rerun?: string[];
  out?: string;
  dryRun?: boolean;
  offline?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function addReplayCommand(program: Command, context: CliContext): void {
  program
    .command('replay')
    .description(
      'Shows what a replay of a trace would reuse, re-run or re-create, and why; then runs it: only what changed runs again.',
    )
    .argument('<trace>', 'the trace file (maybe edited)')
    .option('--registry <module>', 'a module exporting `registry` (see docs/cli.md); needed unless --dry-run')
    .option(
      '--rerun <task|fn...>',
      'tasks (ids, outer>inner for nested ones) or function ids to re-run anyway',
    )
    .option('--out <path>', 'where the replayed trace is written (default: the trace itself)')
    .option('--dry-run', 'show the plan, run nothing')
    .option('--offline', 'make no LLM call: a task that needs one fails with REPLAY_MISS')
    .option('--quiet', 'no progress display')
    .option('--json', 'print one JSON document: the plan, and what the replay ran (tasks, LLM calls)')
    .addHelpText(
      'after',
      `
Examples:
  taskgraph replay trace.json --registry src/cli-entry.ts --dry-run
  taskgraph replay trace.json --registry src/cli-entry.ts --rerun 'sections>draft' parseList --out replayed.json`,
    )
    .action(async (tracePath: string, flags: ReplayFlags) => {
      if (!flags.registry && !flags.dryRun) {
        throw invalidArgument(
          `${API}: give --registry <module> to run the replay, or --dry-run to see the plan only.`,
        );
      }
      const graph = await loadTrace(tracePath);
      const loaded: LoadedProgram | undefined = flags.registry
        ? await loadProgram(flags.registry, API, false)
        : undefined;
      try {
        const registry: FunctionRegistry | undefined = loaded?.registry;
        const force = resolveRerun(graph, registry, flags.rerun ?? [], API);
        const plan = planReplay(graph, registry, { force });
        const out = flags.out ?? tracePath;
        const document = { trace: tracePath, out, dryRun: Boolean(flags.dryRun), plan: planDocument(plan) };
        if (!flags.json) context.io.out(formatPlan(plan));
        if (flags.dryRun || !registry) {
          if (flags.json) printJson(context.io, document);
          return;
        }
        const run = await executeRun(graph, registry, {
          io: context.io,
          progress: progressMode(context, flags),
          options: {
            trace: out,
            force,
            ...(flags.offline ? { replayOnly: true } : {}),
            // The replay is the same program: the trace keeps its name, and --out cannot hold another's.
            ...(graph.runInfo?.program === undefined ? {} : { program: graph.runInfo.program }),
          },
        });
        const result = { ...document, status: run.status, summary: run.summary };
        if (!flags.json && run.started) context.io.err(`${summaryLine(run.summary)}\nTrace: ${out}`);
        if (run.status !== 'done') {
          context.partial = result;
          throw run.error;
        }
        if (flags.json) printJson(context.io, { ...result, output: run.output ?? null });
        else if (run.output !== undefined) context.io.out(JSON.stringify(run.output, null, 2));
      } finally {
        await loaded?.close();
      }
    });
}
