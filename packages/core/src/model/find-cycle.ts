import type { DirectedGraph } from 'graphology';

/** One cycle of a directed graph as a list of nodes (first node repeated at the end), or undefined. */
export function findCycle(graph: DirectedGraph): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of graph.nodes()) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; next: string[] }> = [{ node: start, next: graph.outNeighbors(start) }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; next: string[] };
      const neighbor = top.next.pop();
      if (neighbor === undefined) {
        state.set(top.node, 2);
        stack.pop();
      } else if (state.get(neighbor) === 1) {
        const from = stack.findIndex((frame) => frame.node === neighbor);
        return [...stack.slice(from).map((frame) => frame.node), neighbor];
      } else if (!state.has(neighbor)) {
        state.set(neighbor, 1);
        stack.push({ node: neighbor, next: graph.outNeighbors(neighbor) });
      }
    }
  }
  return undefined;
}
