import type { HumanQuestion, RunOptions } from '@taskgraph/core';
import { type Command, InvalidArgumentError } from 'commander';
import { questionText } from '../answer-text.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { EXIT } from '../exit-codes.js';
import { invalidArgument } from '../invalid-argument.js';
import { loadBullMQ } from '../load-bullmq.js';
import { loadProgram } from '../load-program.js';
import { naturalNumber, nonNegativeNumber, positiveInteger } from '../number-option.js';
import { programName } from '../program-name.js';
import { progressMode, summaryLine } from '../progress-view.js';
import { readJsonArgument } from '../read-json-argument.js';
import { formatAddress } from '../task-address.js';
import { removeTrace } from '../trace-files.js';

const API = 'taskgraph run';

interface RunFlags {
  /** The graph input; false with --no-input (then nothing is asked on the terminal either). */
  input?: string | false;
  trace: string;
  fresh?: boolean;
  concurrency?: number;
  llmConcurrency?: number;
  offline?: boolean;
  continueOnError?: boolean;
  maxCost?: number;
  maxTokens?: number;
  quiet?: boolean;
  json?: boolean;
  executor: 'in-process' | 'bullmq';
  redis?: string;
  queue?: string;
  prefix?: string;
}

export function addRunCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description(
      "Runs the graph a module exports with live progress, prints the graph's output and saves the trace.",
    )
    .argument('<module>', 'a .ts or .js module that exports `graph` and `registry` (see docs/cli.md)')
    .option('--input <json|@file>', 'the graph input: JSON text, @file holding JSON, or @- for stdin')
    .option(
      '--no-input',
      'ask nothing on the terminal: a run that reaches a question for a person ends waiting for its answer (exit 3)',
    )
    .option(
      '--trace <path>',
      'the trace file, kept current while running; a run of the same module resumes from it, another module is refused',
      'trace.json',
    )
    .option('--fresh', 'start from nothing: remove the trace at --trace first (whichever program wrote it)')
    .option('--concurrency <n>', 'function tasks running at once (default: no limit)', positiveInteger)
    .option('--llm-concurrency <n>', 'LLM calls in flight at once (default 8)', positiveInteger)
    .option(
      '--offline',
      'make no LLM call: responses come from the trace only (a missing one fails with REPLAY_MISS)',
    )
    .option('--continue-on-error', 'let independent branches finish when a task fails')
    .option(
      '--max-cost <usd>',
      'stop starting LLM calls once the run has spent this many US dollars',
      nonNegativeNumber,
    )
    .option(
      '--max-tokens <n>',
      'stop starting LLM calls once the run has used this many tokens',
      naturalNumber,
    )
    .option(
      '--executor <name>',
      'where stage calls run: in-process, or bullmq (on workers started with `taskgraph worker`, through Redis)',
      executorName,
      'in-process',
    )
    .option('--redis <url>', 'with --executor bullmq: the Redis URL, such as redis://127.0.0.1:6379')
    .option(
      '--queue <name>',
      'with --executor bullmq: the queue name the workers serve (default "taskgraph")',
    )
    .option('--prefix <prefix>', 'with --executor bullmq: the Redis key prefix (default "taskgraph")')
    .option('--quiet', 'no progress display')
    .option('--json', 'print one JSON document: status, output, trace path, tasks run and LLM calls made')
    .addHelpText(
      'after',
      `
Examples:
  taskgraph run examples/quickstart/src/cli-entry.ts --trace quickstart.json
  taskgraph run ./my-graph.ts --input '{"topic":"rivers"}' --max-cost 0.50`,
    )
    .action(async (specifier: string, flags: RunFlags) => {
      const input =
        typeof flags.input === 'string'
          ? { value: await readJsonArgument(flags.input, 'the input', API) }
          : undefined;
      const executor = await openExecutor(flags);
      const loaded = await loadProgram(specifier, API, true).catch(async (error: unknown) => {
        await executor?.close();
        throw error;
      });
      try {
        const graph = await loaded.graph(input);
        if (flags.fresh) await removeTrace(flags.trace);
        const run = await executeRun(graph, loaded.registry, {
          io: context.io,
          progress: progressMode(context, flags),
          ask: flags.input !== false && !flags.json && context.io.interactive && Boolean(process.stdin.isTTY),
          options: {
            ...runOptions(flags),
            program: programName(specifier, flags.trace),
            ...(executor ? { executor } : {}),
          },
        });
        const document = { status: run.status, trace: flags.trace, summary: run.summary };
        if (!flags.json && run.started) context.io.err(`${summaryLine(run.summary)}\nTrace: ${flags.trace}`);
        if (run.status === 'waiting') {
          const waiting = (run.error as { waiting: HumanQuestion[] }).waiting;
          context.io.exitCode = EXIT.waiting;
          if (flags.json) printJson(context.io, { ...document, waiting: waiting.map(waitingDocument) });
          else context.io.err(waitingText(waiting, flags.trace));
          return;
        }
        if (run.status !== 'done') {
          const failed = (run.error as { taskPath?: unknown }).taskPath;
          if (!flags.json && Array.isArray(failed)) {
            context.io.err(
              `See the task with: taskgraph show ${flags.trace} --task '${formatAddress(failed)}'`,
            );
          }
          context.partial = document;
          throw run.error;
        }
        if (flags.json) printJson(context.io, { ...document, output: run.output ?? null });
        else if (run.output !== undefined) context.io.out(JSON.stringify(run.output, null, 2));
      } finally {
        await executor?.close();
        await loaded.close();
      }
    });
}

function executorName(value: string): RunFlags['executor'] {
  if (value === 'in-process' || value === 'bullmq') return value;
  throw new InvalidArgumentError('Give in-process or bullmq.');
}

/** With --executor bullmq: the executor on the workers of --redis (INVALID_ARGUMENT without it). */
async function openExecutor(flags: RunFlags) {
  if (flags.executor !== 'bullmq') {
    if (flags.redis !== undefined) {
      throw invalidArgument(
        `${API}: --redis is for --executor bullmq. Add --executor bullmq, or leave --redis out.`,
      );
    }
    return undefined;
  }
  if (flags.redis === undefined) {
    throw invalidArgument(
      `${API}: --executor bullmq needs --redis <url>, the Redis that the workers (taskgraph worker) serve.`,
    );
  }
  const { BullMQExecutor } = await loadBullMQ(API);
  return new BullMQExecutor({
    redis: flags.redis,
    ...(flags.queue === undefined ? {} : { queue: flags.queue }),
    ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
  });
}

function waitingDocument(question: HumanQuestion) {
  return {
    task: formatAddress(question.taskPath),
    taskPath: [...question.taskPath],
    question: question.question,
    ...(question.schema === undefined ? {} : { schema: question.schema }),
  };
}

/** The questions that wait, and how to answer them. */
function waitingText(waiting: readonly HumanQuestion[], trace: string): string {
  const lines = [`Waiting for ${waiting.length === 1 ? 'an answer' : `${waiting.length} answers`}:`];
  for (const question of waiting) {
    const schema = question.schema === undefined ? '' : ` (JSON matching ${JSON.stringify(question.schema)})`;
    lines.push(`  ${formatAddress(question.taskPath)}: ${questionText(question.question)}${schema}`);
  }
  const first = waiting[0] ? formatAddress(waiting[0].taskPath) : '<task>';
  lines.push(`Answer with: taskgraph answer ${trace} '${first}' '<answer>', then run again.`);
  return lines.join('\n');
}

function runOptions(flags: RunFlags): Omit<RunOptions, 'onEvent' | 'signal'> {
  const options: Omit<RunOptions, 'onEvent' | 'signal'> = { trace: flags.trace };
  if (flags.concurrency !== undefined) options.concurrency = flags.concurrency;
  if (flags.llmConcurrency !== undefined) options.llmConcurrency = flags.llmConcurrency;
  if (flags.offline) options.replayOnly = true;
  if (flags.continueOnError) options.continueOnError = true;
  if (flags.maxCost !== undefined || flags.maxTokens !== undefined) {
    options.budget = {
      ...(flags.maxCost === undefined ? {} : { maxCostUsd: flags.maxCost }),
      ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
    };
  }
  return options;
}
