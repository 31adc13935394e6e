import { canonicalJson, hashText } from '@taskgraph/core/internal';

/**
 * What a task stores of a growing list before its own items: how many items, and a hash chain over them
 * (each link hashes the previous link and one item). Bounded, however long the list.
 */
export interface ChainLog {
  length: number;
  hash: string;
}

export const EMPTY_CHAIN: ChainLog = { length: 0, hash: '' };

/**
 * The keys of the items on one path of links from the first, each with the length at which it first
 * appears (`tip`: the length of the path's last link). Links that extend the tip share it, so a key
 * lookup costs O(1) whatever the length; a link that branches off earlier copies the part it shares.
 */
interface Lineage {
  keys: Map<string, number>;
  tip: number;
}

/** One item of a list and the list before it: shared by every longer list that starts the same. */
interface Link<T> {
  readonly item: T;
  readonly prev: Link<T> | null;
  readonly length: number;
  readonly hash: string;
  readonly lineage: Lineage | undefined;
}

export interface HashChainLogOptions<T> {
  /** Keys of an item that `has` looks up (the planner: the completed tasks' normalized texts). */
  keys?: (item: T) => Iterable<string>;
}

/**
 * The lists this process has seen, by the hash of their chain: what lets a task that stores only the
 * items it adds (and the `ChainLog` before them) read the whole list. Each list is held weakly, kept
 * alive by the objects that end there (`holder`: the task outputs), so a graph that is dropped frees its
 * lists. A graph hook fills it from the outputs of a graph as it starts (loaded, resumed or replayed).
 */
export class HashChainLog<T> {
  readonly #byHash = new Map<string, WeakRef<Link<T>>>();
  readonly #heads = new WeakMap<object, Link<T>>();
  readonly #forget = new FinalizationRegistry<string>((hash) => {
    if (this.#byHash.get(hash)?.deref() === undefined) this.#byHash.delete(hash);
  });
  readonly #keys: ((item: T) => Iterable<string>) | undefined;

  constructor(options: HashChainLogOptions<T> = {}) {
    this.#keys = options.keys;
  }

  /** The link that ends `log`: null for the empty list, undefined when the list is not known here. */
  #find(log: ChainLog): Link<T> | null | undefined {
    if (log.length === 0) return null;
    const link = this.#byHash.get(log.hash)?.deref();
    return link && link.length === log.length ? link : undefined;
  }

  #link(prev: Link<T> | null, item: T): Link<T> {
    const hash = hashText(`${prev?.hash ?? ''}\n${canonicalJson(item)}`);
    const known = this.#byHash.get(hash)?.deref();
    if (known) return known;
    const length = (prev?.length ?? 0) + 1;
    const link: Link<T> = { item, prev, length, hash, lineage: this.#lineage(prev, item, length) };
    this.#byHash.set(hash, new WeakRef(link));
    this.#forget.register(link, hash);
    return link;
  }

  #lineage(prev: Link<T> | null, item: T, length: number): Lineage | undefined {
    if (!this.#keys) return undefined;
    let lineage = prev?.lineage;
    const at = prev?.length ?? 0;
    if (!lineage) lineage = { keys: new Map(), tip: 0 };
    else if (lineage.tip !== at) {
      const keys = new Map<string, number>();
      for (const [key, first] of lineage.keys) if (first <= at) keys.set(key, first);
      lineage = { keys, tip: at };
    }
    for (const key of this.#keys(item)) if (!lineage.keys.has(key)) lineage.keys.set(key, length);
    lineage.tip = length;
    return lineage;
  }

  /**
   * The log after `items`, computed from the items themselves (an edited item changes every later link,
   * so every later task sees the edit). When the log before them is known in this process, the longer
   * list is remembered too, held by `holder` (an object that ends there).
   */
  extend(log: ChainLog, items: readonly T[], holder?: object): ChainLog {
    let link = this.#find(log);
    let { length, hash } = log;
    for (const item of items) {
      if (link === undefined) {
        hash = hashText(`${hash}\n${canonicalJson(item)}`);
        length += 1;
      } else {
        link = this.#link(link, item);
        ({ length, hash } = link);
      }
    }
    if (link && holder) this.#heads.set(holder, link);
    return { length, hash };
  }

  /** Keeps the list of `log` known while `holder` lives; false when it is not known in this process. */
  hold(log: ChainLog, holder: object): boolean {
    const link = this.#find(log);
    if (link) this.#heads.set(holder, link);
    return link !== undefined;
  }

  /** Whether `holder` was given to `extend` or `hold` with a list known in this process. */
  isIndexed(holder: object): boolean {
    return this.#heads.has(holder);
  }

  /** The items of a log known in this process, oldest first, or undefined when it is not known. */
  items(log: ChainLog): T[] | undefined {
    const link = this.#find(log);
    if (link === undefined) return undefined;
    const items: T[] = new Array(log.length);
    for (let at: Link<T> | null = link; at; at = at.prev) items[at.length - 1] = at.item;
    return items;
  }

  /**
   * Whether an item of `log` has `key` (see HashChainLogOptions.keys), in O(1); undefined when the log
   * is not known in this process.
   */
  has(log: ChainLog, key: string): boolean | undefined {
    const link = this.#find(log);
    if (link === undefined) return undefined;
    const first = link?.lineage?.keys.get(key);
    return first !== undefined && first <= (link?.length ?? 0);
  }
}
