/**
 * Where a task sits in its graph's creation chains: the task at the start of its chain (a task added
 * to the graph before the run, or by hand) and how many creations away from it the task is (0 for that
 * task itself).
 */
export interface Lineage {
  readonly root: string;
  readonly generation: number;
}

/**
 * The id of the task that a task with `lineage` creates under the local name `name`. A task created by
 * a task of the graph (generation 1) is `"<root>/<name>"`; further down a chain it is
 * `"<root>/<name>@<generation>"`. The id depends on the root, the generation and the name only, never on
 * the ids between them, so it stays short however long the chain grows, and a chain that reuses a name
 * in each generation (`"next"`) still gives each task its own id. It is a pure function of data the
 * creator has, so the same program creates the same ids in every run and on every executor.
 */
export function createdTaskId(creator: Lineage, name: string): string {
  const generation = creator.generation + 1;
  return generation === 1 ? `${creator.root}/${name}` : `${creator.root}/${name}@${generation}`;
}
