import type { TaskIndex } from '../../../src/view-model/task-index.js';

/** A group of at least this many tasks (a creator and the tasks created down its chain) is drawn as one box. */
export const CREATED_GROUP_MIN = 4;
/** A group (created tasks, or a nested graph) of more tasks than this starts closed. */
export const COLLAPSE_AT = 40;

/** Tasks that one task of a graph created while running, directly or down a chain of created tasks. */
export interface CreatedGroup {
  key: string;
  /** The task at the root of the chain: it created the others (or created their creators). */
  root: string;
  /** The root then every task created down its chain, in file order. */
  members: string[];
}

export interface TaskGroups {
  groups: Map<string, CreatedGroup>;
  /** The group each grouped task belongs to. */
  groupOf: Map<string, string>;
}

/** The key of the group of the tasks `root` created (never a task's key: ids hold no "\u2009+"). */
export function createdGroupKey(root: string): string {
  return `${root}\u2009+created`;
}

/**
 * Groups each graph's tasks by creator: a task that no task created and every task created down its
 * chain (an agent loop, a planner, a task queue) form one group when they are CREATED_GROUP_MIN or more.
 */
export function taskGroups(index: TaskIndex): TaskGroups {
  const rootOf = new Map<string, string>();
  const root = (key: string): string => {
    const known = rootOf.get(key);
    if (known !== undefined) return known;
    // Walk up without recursion: a chain of created tasks can be thousands long.
    const chain: string[] = [];
    let current = key;
    for (;;) {
      const cached = rootOf.get(current);
      if (cached !== undefined) {
        current = cached;
        break;
      }
      chain.push(current);
      const creator = index.tasks.get(current)?.creator;
      if (creator === undefined || !index.tasks.has(creator)) break;
      current = creator;
    }
    for (const link of chain) rootOf.set(link, current);
    return current;
  };
  const members = new Map<string, string[]>();
  for (const key of index.tasks.keys()) {
    const top = root(key);
    const list = members.get(top);
    if (list) list.push(key);
    else members.set(top, [key]);
  }
  const groups = new Map<string, CreatedGroup>();
  const groupOf = new Map<string, string>();
  for (const [top, list] of members) {
    if (list.length < CREATED_GROUP_MIN) continue;
    const key = createdGroupKey(top);
    groups.set(key, { key, root: top, members: list });
    for (const member of list) groupOf.set(member, key);
  }
  return { groups, groupOf };
}

/** The size that decides whether a group starts open: its members, or a GraphTask's nested tasks. */
export function groupSize(index: TaskIndex, groups: TaskGroups, key: string): number {
  return groups.groups.get(key)?.members.length ?? index.tasks.get(key)?.children.length ?? 0;
}

/** A group is open when it is small and was not closed, or large and was opened (`toggled` flips it). */
export function isGroupOpen(
  index: TaskIndex,
  groups: TaskGroups,
  toggled: ReadonlySet<string>,
  key: string,
): boolean {
  return groupSize(index, groups, key) <= COLLAPSE_AT !== toggled.has(key);
}

/** The groups (nested graphs and created groups) around `key`, outermost first. */
export function groupsAround(index: TaskIndex, groups: TaskGroups, key: string): string[] {
  const around: string[] = [];
  for (
    let current: string | undefined = key;
    current !== undefined;
    current = index.tasks.get(current)?.parent
  ) {
    const group = groups.groupOf.get(current);
    if (group !== undefined) around.unshift(group);
    if (current !== key) around.unshift(current);
  }
  return around;
}
