import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

/** Worker processes of one program, some of which a test kills and replaces. */
export class WorkerPool {
  readonly live: WorkerProcess[] = [];
  readonly #start: () => Promise<WorkerProcess>;
  readonly #starting = new Set<Promise<unknown>>();

  constructor(module: string, redis: string, args: readonly string[], env: Record<string, string> = {}) {
    this.#start = () => startWorkerProcess(module, redis, args, env);
  }

  /** Starts `count` more workers and waits until they are ready. */
  async grow(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.#add()));
  }

  /** Kills a live worker at random (SIGKILL) and starts another in its place; resolves to the victim's pid. */
  killOne(): string | undefined {
    const victim = this.live.splice(Math.floor(Math.random() * this.live.length), 1)[0];
    if (!victim) return undefined;
    const replaced = victim.kill().then(() => this.#add());
    this.#starting.add(replaced);
    void replaced.finally(() => this.#starting.delete(replaced));
    return String(victim.pid);
  }

  /** Resolves once `count` workers are live. */
  async atLeast(count: number): Promise<void> {
    while (this.live.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Waits for the replacements under way, then kills every worker. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#starting]);
    await Promise.all(this.live.splice(0).map((worker) => worker.kill()));
  }

  async #add(): Promise<void> {
    this.live.push(await this.#start());
  }
}
