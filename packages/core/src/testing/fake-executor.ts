import { InProcessExecutor } from '../run/in-process-executor.js';
import type { ExecuteEnv, StageCall, StageOutcome, TaskExecutor } from '../run/task-executor.js';

/** A call the FakeExecutor holds until the test lets it go. */
export interface HeldCall {
  readonly call: StageCall;
  /** Runs the call in process and settles it with what it gives. */
  release(): void;
  /** Settles the call with this outcome instead of running it. */
  settle(outcome: StageOutcome): void;
}

/**
 * An executor for tests: every call waits until the test releases it, so a test sees exactly which calls
 * are in flight at once (barrier tests) and in which order they were handed over. Released calls run in
 * this process.
 */
export class FakeExecutor implements TaskExecutor {
  readonly #inner = new InProcessExecutor();
  /** Calls handed over and not settled yet, in order. */
  readonly held: HeldCall[] = [];
  /** Every call handed over, in order. */
  readonly calls: StageCall[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  execute(call: StageCall, env: ExecuteEnv): Promise<StageOutcome> {
    this.calls.push(call);
    return new Promise<StageOutcome>((resolve) => {
      const held: HeldCall = {
        call,
        release: () => {
          this.#remove(held);
          Promise.resolve(this.#inner.execute(call, env)).then(resolve);
        },
        settle: (outcome) => {
          this.#remove(held);
          resolve(outcome);
        },
      };
      this.held.push(held);
      this.#wake();
    });
  }

  /** Resolves once at least `count` calls are held at the same time. */
  whenHeld(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ count, resolve });
      this.#wake();
    });
  }

  /** Releases every held call. */
  releaseAll(): void {
    for (const held of [...this.held]) held.release();
  }

  #remove(held: HeldCall): void {
    const at = this.held.indexOf(held);
    if (at >= 0) this.held.splice(at, 1);
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.held.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }
}
