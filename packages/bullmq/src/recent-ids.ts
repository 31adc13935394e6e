/** The last `size` ids added, for "was this job cancelled before it started here?". */
export class RecentIds {
  readonly #size: number;
  readonly #ids = new Set<string>();

  constructor(size: number) {
    this.#size = size;
  }

  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.#size) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }
}
