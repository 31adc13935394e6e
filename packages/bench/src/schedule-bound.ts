/**
 * A lower bound on the makespan of any schedule of a graph of tasks with known durations on `slots`
 * slots at once: list schedules, and any other (even one that could pause and resume a task). A task
 * cannot start before its longest chain of dependencies has run (its head) and is followed by its
 * longest chain of dependents (its tail). The tasks whose head is at least x and whose tail is at least
 * y all run inside [x, makespan - y], on `slots` slots: makespan >= x + y + (their work) / slots. The
 * bound is the largest such value over every head x and tail y of the graph (at least the critical path
 * and the total work / slots, which are x = y = 0 and the critical task alone).
 */
export interface ScheduleBound {
  ms: number;
  /** Where it comes from: the head x and tail y, and the work of the tasks between them. */
  x: number;
  y: number;
  workMs: number;
}

export function scheduleLowerBound(
  deps: readonly (readonly number[])[],
  durations: readonly number[],
  slots: number,
): ScheduleBound {
  const n = deps.length;
  const head = new Float64Array(n);
  const tail = new Float64Array(n);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const dep of deps[i] as number[]) {
      head[i] = Math.max(head[i] as number, (head[dep] as number) + (durations[dep] as number));
      (dependents[dep] as number[]).push(i);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (const next of dependents[i] as number[])
      tail[i] = Math.max(tail[i] as number, (durations[next] as number) + (tail[next] as number));
  }
  const heads = [...new Set(head)];
  const tails = [...new Set(tail)];
  let best: ScheduleBound = { ms: 0, x: 0, y: 0, workMs: 0 };
  for (const x of heads) {
    for (const y of tails) {
      let work = 0;
      let longest = 0;
      for (let i = 0; i < n; i++) {
        if ((head[i] as number) < x || (tail[i] as number) < y) continue;
        work += durations[i] as number;
        longest = Math.max(longest, durations[i] as number);
      }
      if (work === 0) continue;
      // A task runs on one slot: the window is at least as long as the longest task in it.
      const ms = x + y + Math.max(work / slots, longest);
      if (ms > best.ms) best = { ms, x, y, workMs: work };
    }
  }
  return best;
}
