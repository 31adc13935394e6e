import { spawn, spawnSync } from 'node:child_process';
import { CLI, ROOT } from './cli-process.js';

/** A `taskgraph` process whose Ctrl-C the test presses, and what it printed. */
export interface InteractiveRun {
  /** Whether the CLI ran on a terminal (a pty from util-linux `script`) rather than pipes. */
  readonly terminal: boolean;
  /** Everything the process wrote so far (stdout and stderr, as the terminal shows them). */
  output(): string;
  /** Resolves once the output contains `text`. */
  waitFor(text: string): Promise<void>;
  /** Types text on the terminal (or writes it to the process's stdin on pipes). */
  type(text: string): void;
  /** Ctrl-C: typed on the terminal, or SIGINT sent to the process group as a terminal sends it. */
  interrupt(): void;
  /** The exit code. */
  exited: Promise<number>;
}

/** Whether util-linux `script` is installed, to give the CLI a terminal. */
export const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * Starts `taskgraph <args>` from the repository root: on a terminal (a pty from util-linux `script`, 40
 * rows and 120 columns, CI unset, so the live display runs) when `terminal` and `script` is installed,
 * else on pipes in its own process group.
 */
export function interactive(
  args: readonly string[],
  env: Record<string, string>,
  { terminal = true }: { terminal?: boolean } = {},
): InteractiveRun {
  const pty = terminal && HAS_SCRIPT;
  const command = [process.execPath, '--import', 'tsx', '--conditions=source', CLI, ...args];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: '', ...env };
  delete childEnv.CI;
  const child = pty
    ? spawn(
        'script',
        ['-q', '-e', '-c', `stty rows 40 cols 120; exec ${command.map(quote).join(' ')}`, '/dev/null'],
        {
          cwd: ROOT,
          env: childEnv,
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      )
    : spawn(command[0] as string, command.slice(1), { cwd: ROOT, env: childEnv, detached: true });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (data: Buffer) => {
    text += data.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return {
    terminal: pty,
    output: () => text,
    waitFor(expected) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!text.includes(expected)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        exited.then(() => {
          if (waiters.delete(check)) reject(new Error(`exited before printing "${expected}":\n${text}`));
        });
      });
    },
    type(typed) {
      child.stdin?.write(typed);
    },
    interrupt() {
      if (pty) child.stdin?.write('\u0003');
      else process.kill(-(child.pid as number), 'SIGINT');
    },
    exited,
  };
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
