import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { BullMQExecutor, startWorker } from '@taskgraph/bullmq';
import { FunctionRegistry, type TaskGraphError } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT } from './worker-process.js';

function thrown(make: () => unknown): TaskGraphError {
  try {
    make();
  } catch (error) {
    return error as TaskGraphError;
  }
  throw new Error('expected a throw');
}

function taskgraph(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', CLI, ...args],
      { cwd: ROOT, env: { ...process.env, CI: '1' }, timeout: 25_000 },
      (error, _stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe('bad input', () => {
  it('BullMQExecutor refuses a URL that is not redis:// or rediss://, naming the option', () => {
    const error = thrown(() => new BullMQExecutor({ redis: 'http://127.0.0.1:6379' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('`redis`');
  });

  it('BullMQExecutor refuses a redisTimeoutMs that is not a positive number', () => {
    const error = thrown(() => new BullMQExecutor({ redis: 'redis://127.0.0.1:1', redisTimeoutMs: 0 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('startWorker refuses a concurrency that is not a whole number from 1', async () => {
    const error = (await startWorker(new FunctionRegistry(), {
      redis: 'redis://127.0.0.1:1',
      concurrency: 0,
    }).catch((e) => e)) as TaskGraphError;
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('taskgraph run --executor bullmq without --redis says what is missing, in one line', async () => {
    const program = join(FIXTURES, 'faults-program.ts');
    const result = await taskgraph(['run', program, '--executor', 'bullmq', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--redis');
  });

  it('taskgraph worker with a malformed --rpm fails with INVALID_ARGUMENT', async () => {
    const program = join(FIXTURES, 'faults-program.ts');
    const result = await taskgraph(['worker', program, '--redis', 'redis://127.0.0.1:1', '--rpm', 'gpt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--rpm');
  });
});
