/** The nodes that depend on `node` directly or through others (not `node` itself), from the deps lists alone. */
export function downstreamCone(deps: readonly (readonly number[])[], node: number): Set<number> {
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((list, i) => {
    for (const dep of list) (dependents[dep] as number[]).push(i);
  });
  const cone = new Set<number>();
  const stack = [node];
  while (stack.length > 0) {
    for (const next of dependents[stack.pop() as number] as number[]) {
      if (!cone.has(next)) {
        cone.add(next);
        stack.push(next);
      }
    }
  }
  return cone;
}
