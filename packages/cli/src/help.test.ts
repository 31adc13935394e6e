import { describe, expect, it } from 'vitest';
import type { CliIO } from './cli-io.js';
import { main } from './main.js';

const COMMANDS = ['run', 'replay', 'show', 'edit', 'diff', 'validate', 'schema', 'view'];

/** Runs the command line in this process, keeping what it prints. */
async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: (text) => {
      stderr += `${text}\n`;
    },
    interactive: false,
    errStream: process.stderr,
    exitCode: 0,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('taskgraph --help and usage errors', () => {
  it.each(COMMANDS)('%s --help exits 0 with an example and --json', async (command) => {
    const result = await capture([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples?:\n {2}taskgraph /);
    expect(result.stdout).toContain('--json');
  });

  it('--help lists every command', async () => {
    const result = await capture(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  it.each([
    [['edit', 'trace.json']],
    [['run']],
    [['run', 'm.ts', '--concurrency', 'zero']],
    [['frobnicate']],
  ])('a usage error (%j) exits 2 with one line', async (argv) => {
    const result = await capture(argv);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
