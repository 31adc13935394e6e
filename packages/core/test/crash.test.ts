import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { journalPath } from '../src/store/journal-fold.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = join(root, 'test/crash-child.ts');
const TRIALS = 20;
/** LLM calls of the crash child's graph: 12 + 6 + 3 created by `spawn`. */
const TOTAL_LLM_CALLS = 21;

interface Exit {
  stdout: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs the crash child; with `killAfterMs`, sends it SIGKILL that long after its first LLM request (so
 * the kill lands while the run is under way, not while Node starts).
 */
function runChild(tracePath: string, logPath: string, label: string, killAfterMs?: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', child, tracePath, logPath, label],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    let timer: NodeJS.Timeout | undefined;
    const poll =
      killAfterMs === undefined
        ? undefined
        : setInterval(async () => {
            if ((await requests(logPath, label)).length === 0 || timer) return;
            clearInterval(poll);
            timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
          }, 5);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`crash child failed (${code}): ${stderr}`));
      else resolve({ stdout, code, signal });
    });
  });
}

/** Tasks whose LLM response reached the journal (or the folded trace) before the kill. */
async function answeredBefore(tracePath: string): Promise<Set<string>> {
  const answered = new Set<string>();
  if (existsSync(journalPath(tracePath))) {
    for (const line of (await readFile(journalPath(tracePath), 'utf8')).split('\n')) {
      try {
        const entry = JSON.parse(line);
        if (entry.task?.response !== undefined) answered.add(entry.path.join('>'));
      } catch {
        // A line cut short by the kill.
      }
    }
  }
  if (existsSync(tracePath)) {
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    for (const task of trace.graph.tasks) if (task.response !== undefined) answered.add(task.id);
  }
  return answered;
}

async function requests(logPath: string, label: string): Promise<string[]> {
  if (!existsSync(logPath)) return [];
  const lines = (await readFile(logPath, 'utf8')).split('\n').filter((line) => line.startsWith(`${label} `));
  return lines.map((line) => line.slice(label.length + 1));
}

describe('a run killed with SIGKILL at a random moment', () => {
  it(`resumes to the same output and never asks the LLM again for a journaled response (${TRIALS} trials)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskgraph-crash-'));
    const reference = await runChild(join(dir, 'reference.json'), join(dir, 'reference.log'), 'ref');
    const expected = JSON.parse(reference.stdout);
    const trial = async (n: number) => {
      const tracePath = join(dir, `trial-${n}.json`);
      const logPath = join(dir, `trial-${n}.log`);
      const killed = await runChild(tracePath, logPath, 'first', Math.random() * 300);
      const answered = await answeredBefore(tracePath);
      const resumed = await runChild(tracePath, logPath, 'resume');
      expect(JSON.parse(resumed.stdout)).toEqual(expected);
      const asked = await requests(logPath, 'resume');
      expect(asked.filter((task) => answered.has(task))).toEqual([]);
      expect(existsSync(journalPath(tracePath))).toBe(false);
      return killed.signal === 'SIGKILL' && answered.size > 0 && answered.size < TOTAL_LLM_CALLS;
    };
    const killedMidRun: boolean[] = [];
    for (let n = 0; n < TRIALS; n += 4) {
      const batch = Array.from({ length: Math.min(4, TRIALS - n) }, (_, i) => trial(n + i));
      killedMidRun.push(...(await Promise.all(batch)));
    }
    // Most trials must have been killed after some responses were journaled and before the last,
    // or the test proves nothing.
    expect(killedMidRun.filter(Boolean).length).toBeGreaterThanOrEqual(TRIALS / 2);
  }, 180_000);
});
