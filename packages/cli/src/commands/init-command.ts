import { relative } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { initProject } from '../init-project.js';

const API = 'taskgraph init';

export function addInitCommand(program: Command, context: CliContext): void {
  program
    .command('init')
    .description(
      'Creates a new project: a program of two LLM tasks and a function that runs offline, its test, package.json.',
    )
    .argument('[dir]', 'the folder (created if missing; no file there is overwritten)', '.')
    .option('--json', 'print { dir, files } instead of the next steps')
    .addHelpText(
      'after',
      `
Example:
  taskgraph init my-program && cd my-program && npm install && npm start`,
    )
    .action(async (dir: string, flags: { json?: boolean }) => {
      const project = await initProject(dir, API);
      if (flags.json) {
        printJson(context.io, project);
        return;
      }
      const where = relative(process.cwd(), project.dir) || '.';
      context.io.out(
        [
          `Created ${project.files.join(', ')} in ${where}.`,
          '',
          'Next:',
          ...(where === '.' ? [] : [`  cd ${/\s/.test(where) ? JSON.stringify(where) : where}`]),
          '  npm install',
          '  npm start        # runs offline: no key, no model; writes trace.json',
          '  npm test',
          'With OPENAI_API_KEY set (and OPENAI_BASE_URL for another OpenAI-compatible server), it calls a real model.',
        ].join('\n'),
      );
    });
}
