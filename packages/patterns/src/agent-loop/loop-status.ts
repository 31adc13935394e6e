/**
 * How a loop run ended: exactly one of these, written into the final step node's output (the trace) and
 * into the run's result. `INF_LOOP` and `ERROR` are produced too (langroid declares but never sets them).
 */
export const LOOP_STATUSES = [
  'DONE',
  'USER_QUIT',
  'FIXED_TURNS',
  'MAX_TURNS',
  'STALLED',
  'MAX_COST',
  'MAX_TOKENS',
  'KILL',
  'INF_LOOP',
  'ERROR',
] as const;

export type LoopStatus = (typeof LOOP_STATUSES)[number];

/** Statuses whose result is null (the run produced no usable answer); the others return the last pending message. */
export const NULL_RESULT_STATUSES: ReadonlySet<LoopStatus> = new Set<LoopStatus>([
  'STALLED',
  'MAX_TURNS',
  'INF_LOOP',
  'ERROR',
]);

/** Whether a run that ended with `status` returns the last pending message (true) or null. */
export function statusKeepsResult(status: LoopStatus): boolean {
  return !NULL_RESULT_STATUSES.has(status);
}
