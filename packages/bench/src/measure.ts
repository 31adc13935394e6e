/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Medians of each field over samples of the same shape. */
export function medians<K extends string>(samples: readonly Record<K, number>[]): Record<K, number> {
  const result = {} as Record<K, number>;
  const first = samples[0];
  if (!first) return result;
  for (const key of Object.keys(first) as K[]) result[key] = median(samples.map((sample) => sample[key]));
  return result;
}

/** Collects garbage when the process runs with --expose-gc, so one sample does not pay for the last one's garbage. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

export interface RepeatOptions {
  /** Timed samples after the warm-up. */
  runs: number;
  /**
   * Run before the samples, untimed, again and again until WARMUP_MS have passed (at least once), so the
   * JIT has optimized every engine's code before it is timed; default: the measured function itself.
   */
  warmup?: (() => Promise<unknown>) | 'none';
  /**
   * Go on past `runs` samples until the samples took this long (at most MAX_SAMPLES): a run of a
   * fraction of a millisecond gets hundreds of samples, whose median a passing load disturbs little.
   */
  minMs?: number;
}

/** The most samples `minMs` adds. */
export const MAX_SAMPLES = 2_000;

/** How long the warm-up of a case lasts at least: one run of a 1,000-task chain is too short for the JIT. */
export const WARMUP_MS = 1_000;

/** Runs `sample` `runs` times after a warm-up, with a collection before each; returns every sample. */
export async function repeat<T>(sample: () => Promise<T>, options: RepeatOptions): Promise<T[]> {
  const { runs, warmup } = options;
  if (warmup !== 'none') {
    collectGarbage();
    const until = performance.now() + WARMUP_MS;
    do await (warmup ?? sample)();
    while (performance.now() < until);
  }
  const samples: T[] = [];
  const until = performance.now() + (options.minMs ?? 0);
  while (samples.length < runs || (performance.now() < until && samples.length < MAX_SAMPLES)) {
    collectGarbage();
    samples.push(await sample());
  }
  return samples;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Heap in use after a collection, in MB. */
export function heapUsedMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
