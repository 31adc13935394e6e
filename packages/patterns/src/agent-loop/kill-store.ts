/**
 * Where kills are kept, by session id. Every step node of a loop (and of its sub-loops, which share the
 * session) asks `isKilled` before doing anything, so a kill ends the whole tree at its next check point.
 * Plug in a shared store (Redis…) to kill runs in other processes.
 */
export interface KillStore {
  isKilled(session: string): boolean | Promise<boolean>;
  kill(session: string): void | Promise<void>;
  /** Forgets a kill, so that runs of the session may go on again. */
  revive(session: string): void | Promise<void>;
}

/**
 * The in-memory kill store. Unlike langroid, starting a run does not clear a kill issued before it: the
 * run ends with KILL at once, until `revive` is called.
 */
export class MemoryKillStore implements KillStore {
  readonly #killed = new Set<string>();

  isKilled(session: string): boolean {
    return this.#killed.has(session);
  }

  kill(session: string): void {
    this.#killed.add(session);
  }

  revive(session: string): void {
    this.#killed.delete(session);
  }
}

/** The store every loop uses unless its config names another. */
export const defaultKillStore: KillStore = new MemoryKillStore();

/** Kills every run of `session` in the default store (and of any store given). */
export function killSession(session: string, store: KillStore = defaultKillStore): void | Promise<void> {
  return store.kill(session);
}

/** Clears a kill of `session`. */
export function reviveSession(session: string, store: KillStore = defaultKillStore): void | Promise<void> {
  return store.revive(session);
}
