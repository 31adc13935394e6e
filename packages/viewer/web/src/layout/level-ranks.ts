import type { LayoutEdge } from './layout-types.js';

/**
 * The rank of each node: the length of the longest chain of edges that leads to it (sources are 0), so
 * every node sits below all the nodes it depends on.
 */
export function levelRanks(keys: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const { from, to } of edges) {
    push(incoming, to, from);
    push(outgoing, from, to);
  }
  const waiting = new Map(keys.map((key) => [key, incoming.get(key)?.length ?? 0]));
  const order = keys.filter((key) => waiting.get(key) === 0);
  const ranks = new Map<string, number>();
  for (let i = 0; i < order.length; i++) {
    const key = order[i] as string;
    let rank = 0;
    for (const from of incoming.get(key) ?? []) rank = Math.max(rank, (ranks.get(from) ?? 0) + 1);
    ranks.set(key, rank);
    for (const next of outgoing.get(key) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  return ranks;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
