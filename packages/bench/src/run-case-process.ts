import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseData } from './case-runner.js';

/** What a case reported from its own process: figures, peak memory, and where and why it failed if it did. */
export interface CaseOutcome {
  id: string;
  ok: boolean;
  data: CaseData;
  /** Peak resident memory of the case's process, and its resident memory before the case began, in MB. */
  peakRssMb: number;
  idleRssMb: number;
  wallMs: number;
  error?: string;
  /** The last stage finished before a failure (scale cases). */
  lastStage?: string;
}

const CHILD = fileURLToPath(new URL('./case-child.ts', import.meta.url));

interface Line {
  ok?: boolean;
  stage?: string;
  data?: CaseData;
  peakRssMb?: number;
  idleRssMb?: number;
  error?: string;
}

/**
 * Runs one case in a fresh Node process (same loader flags as this one, plus --expose-gc and the heap
 * limit given), so that its peak memory is its own. A process that dies (out of memory) still reports
 * the stages it finished and the end of its stderr.
 */
export function runCaseProcess(
  id: string,
  options: { dir: string; runs: number; heapMb: number; semiSpaceMb?: number },
): Promise<CaseOutcome> {
  const args = [
    ...process.execArgv,
    '--expose-gc',
    `--max-old-space-size=${options.heapMb}`,
    ...(options.semiSpaceMb ? [`--max-semi-space-size=${options.semiSpaceMb}`] : []),
    CHILD,
    id,
    options.dir,
    String(options.runs),
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('close', (code, signal) => {
      const lines = stdout.split('\n');
      const result = parseLast(lines, 'RESULT ');
      const progress = parseLast(lines, 'PROGRESS ');
      const wallMs = performance.now() - started;
      const last = result ?? progress ?? {};
      const outcome: CaseOutcome = {
        id,
        ok: result?.ok === true,
        data: last.data ?? {},
        peakRssMb: last.peakRssMb ?? Number.NaN,
        idleRssMb: result?.idleRssMb ?? Number.NaN,
        wallMs,
      };
      if (progress?.stage !== undefined) outcome.lastStage = progress.stage;
      if (!outcome.ok) {
        outcome.error =
          result?.error ?? `process ended (${signal ?? `exit code ${code}`}): ${lastMeaningfulLine(stderr)}`;
      }
      resolve(outcome);
    });
  });
}

function parseLast(lines: readonly string[], prefix: string): Line | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line.startsWith(prefix)) return JSON.parse(line.slice(prefix.length)) as Line;
  }
  return undefined;
}

/** The line of stderr that says what went wrong (V8's "FATAL ERROR: …" when the heap ran out). */
function lastMeaningfulLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const fatal = lines.find((line) => line.includes('FATAL ERROR') || line.includes('Error:'));
  return fatal ?? lines.filter(Boolean).pop() ?? 'no output';
}
