import type { DistributedResults } from './distributed-bench.js';
import { fmt, ratio, table } from './format.js';

/** Where `pnpm bench:distributed` writes its section of RESULTS.md; `pnpm bench` keeps it as it is. */
export const DISTRIBUTED_START = '<!-- distributed:start -->';
export const DISTRIBUTED_END = '<!-- distributed:end -->';

/** The section of RESULTS.md with the distributed measures. */
export function distributedSection(
  results: DistributedResults,
  context: { load: string; date: string },
): string {
  const { w3, llm, cpu } = results;
  const perTask = (ms: number) => (ms * 1000) / w3.tasks;
  const bound = Math.max(llm.criticalPathMs, llm.workMs / llm.limit);
  return [
    DISTRIBUTED_START,
    '## Distributed: BullMQ and Redis (`pnpm bench:distributed`)',
    '',
    `Measured ${context.date}; load average (1 min) at start / end: ${context.load} on 2 cores. Workers are`,
    'separate Node processes on this machine (`startWorker`), with a redis-server of their own; the scheduler is the bench process.',
    '',
    table(
      ['measure', 'in process', 'BullMQ, 1 worker', 'BullMQ, 2 workers', 'ratio', 'target'],
      [
        [
          `W3 per-task overhead (${fmt(w3.tasks, 0)} tasks), µs/task`,
          fmt(perTask(w3.inProcessMs), 1),
          fmt(perTask(w3.oneWorkerMs), 1),
          fmt(perTask(w3.twoWorkersMs), 1),
          `1 worker ${ratio(w3.oneWorkerMs, w3.inProcessMs, 0)}, 2 workers ${ratio(w3.twoWorkersMs, w3.inProcessMs, 0)} in-process`,
          'reported beside in-process',
        ],
        [
          `${fmt(llm.tasks, 0)} LLM calls of 50–200 ms at the test server, 4 workers, global limit ${llm.limit}: makespan ms (BullMQ column: 4 workers)`,
          fmt(llm.inProcessMs, 0),
          '–',
          fmt(llm.makespanMs, 0),
          `${ratio(llm.makespanMs, bound)} of max(critical path ${fmt(llm.criticalPathMs, 0)}, work/${llm.limit} ${fmt(llm.workMs / llm.limit, 0)}); in process ${ratio(llm.inProcessMs, bound)}`,
          '≤ 1.25x',
        ],
        [
          `${fmt(cpu.tasks, 0)} CPU-bound function tasks of ${fmt(cpu.taskMs, 0)} ms (undisturbed), one at a time per worker: ms`,
          '–',
          fmt(cpu.oneWorkerMs, 0),
          fmt(cpu.twoWorkersMs, 0),
          `2 workers: ${ratio(cpu.oneWorkerMs, cpu.twoWorkersMs)} the throughput of 1`,
          '≥ 1.7x',
        ],
      ],
    ),
    '',
    '- W3: the 1,000-task W3 file (every call a job: a round trip to a worker through Redis), median of the timed runs after a warm-up run; workers run 8 calls at once. The 1-worker and 2-worker runs alternate, so that a change of load weighs on both.',
    `- LLM calls: each task depends on up to 2 of the 200 before it; the critical path and total work are computed from the latencies the server applies. Each run has prompts of its own, so no answer comes from Redis. The workers' global limit is ${llm.limit} (leases in Redis); the run option \`llmConcurrency\` is ${2 * llm.limit} through BullMQ (twice the limit, so that a worker always has the next call at hand while the leases hold the server to ${llm.limit}: the most calls the server had in flight at once was ${llm.mostInFlight}) and ${llm.limit} in process. "In process" runs the same calls from the bench process alone (no Redis, no workers): what the machine allows at that load.`,
    '- CPU-bound: a fixed number of SHA-256 rounds (about 20 ms when the machine is quiet), so a busy machine slows the work instead of hiding it; 2 workers can reach 2x only with 2 cores free. The 1-worker and 2-worker runs alternate.',
    DISTRIBUTED_END,
  ].join('\n');
}

/** `text` with its distributed section replaced by `section` (added at the end when it has none). */
export function withDistributedSection(text: string, section: string): string {
  const start = text.indexOf(DISTRIBUTED_START);
  const end = text.indexOf(DISTRIBUTED_END);
  if (start === -1 || end === -1) return `${text.trimEnd()}\n\n${section}\n`;
  return `${text.slice(0, start)}${section}${text.slice(end + DISTRIBUTED_END.length)}`;
}

/** The distributed section of `text`, if it has one. */
export function distributedSectionOf(text: string): string | undefined {
  const start = text.indexOf(DISTRIBUTED_START);
  const end = text.indexOf(DISTRIBUTED_END);
  return start === -1 || end === -1 ? undefined : text.slice(start, end + DISTRIBUTED_END.length);
}
