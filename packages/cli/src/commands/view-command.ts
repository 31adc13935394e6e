import type { FunctionRegistry } from '@taskgraph/core';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { invalidArgument } from '../invalid-argument.js';
import type { LoadedProgram } from '../load-program.js';
import { loadProgram } from '../load-program.js';
import { positiveInteger } from '../number-option.js';
import { untilInterrupted } from '../until-interrupted.js';

const API = 'taskgraph view';
/** The viewer is its own package, loaded only by this command, so that the rest works without it. */
const VIEWER = '@taskgraph/viewer/server';

interface ViewerModule {
  startViewer(options: {
    tracePath: string;
    registry?: FunctionRegistry;
    port?: number;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

interface ViewFlags {
  registry?: string;
  port?: number;
  json?: boolean;
}

export function addViewCommand(program: Command, context: CliContext): void {
  program
    .command('view')
    .description('Serves a trace in the browser viewer and prints its URL; serves until Ctrl-C.')
    .argument('<trace>', 'the trace file')
    .option('--registry <module>', 'a module exporting `registry`, to replay edits from the viewer')
    .option('--port <n>', 'the port to listen on (default: a free one)', positiveInteger)
    .option('--json', 'print { "url": … } instead of a sentence')
    .addHelpText(
      'after',
      `
Example:
  taskgraph view trace.json --registry src/cli-entry.ts --port 4000`,
    )
    .action(async (tracePath: string, flags: ViewFlags) => {
      const viewer = await importViewer();
      const loaded: LoadedProgram | undefined = flags.registry
        ? await loadProgram(flags.registry, API, false)
        : undefined;
      try {
        const server = await viewer.startViewer({
          tracePath,
          ...(loaded ? { registry: loaded.registry } : {}),
          ...(flags.port === undefined ? {} : { port: flags.port }),
        });
        if (flags.json) printJson(context.io, { url: server.url });
        else context.io.out(`Viewing ${tracePath} at ${server.url} (Ctrl-C to stop)`);
        await untilInterrupted();
        await server.close();
      } finally {
        await loaded?.close();
      }
    });
}

async function importViewer(): Promise<ViewerModule> {
  try {
    return (await import(VIEWER)) as ViewerModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    throw invalidArgument(
      `${API}: the viewer (${VIEWER}) is not installed. Install @taskgraph/viewer beside @taskgraph/cli.`,
      { cause: error },
    );
  }
}
