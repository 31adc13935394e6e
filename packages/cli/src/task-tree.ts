import type { AnyTask, RunInfo, TaskGraphBase, TaskKind, TaskStatus } from '@taskgraph/core';
import { formatAddress } from './task-address.js';

/** A task as `show` lists it; a GraphTask holds its nested graph's tasks. */
export interface TreeNode {
  id: string;
  /** Its command-line address (`outer>inner`). */
  task: string;
  kind: TaskKind;
  status: TaskStatus;
  durationMs?: number;
  attempts: number;
  /** LLM tokens, a GraphTask's summed over its nested tasks; absent when no call was stored. */
  tokens?: number;
  /** USD; null when a model had no price; absent when no call was stored. */
  costUsd?: number | null;
  model?: string;
  createdBy?: string;
  /** The error message of a failed task. */
  error?: string;
  tasks?: TreeNode[];
}

/** What `show --json` prints without `--task`. */
export interface TreeDocument {
  trace: string;
  run: RunInfo | null;
  /** The graph output as stored (plain JSON), null when there is none. */
  output: unknown;
  tasks: TreeNode[];
}

/** The tasks of `graph` as a tree, in topological order, nested graphs inside their GraphTask. */
export function taskTree(graph: TaskGraphBase, prefix: readonly string[] = []): TreeNode[] {
  const nodes: TreeNode[] = [];
  for (const id of graph.topologicalOrder()) {
    const task = graph.task(id);
    if (task) nodes.push(treeNode(task, [...prefix, id]));
  }
  return nodes;
}

export function treeDocument(graph: TaskGraphBase, trace: string): TreeDocument {
  return {
    trace,
    run: graph.runInfo ?? null,
    output: graph.outputTask?.output?.encoded.json ?? null,
    tasks: taskTree(graph),
  };
}

function treeNode(task: AnyTask, path: string[]): TreeNode {
  const node: TreeNode = {
    id: task.id,
    task: formatAddress(path),
    kind: task.kind,
    status: task.status,
    attempts: task.attempts,
  };
  if (task.durationMs !== undefined) node.durationMs = task.durationMs;
  if (task.createdBy !== undefined) node.createdBy = task.createdBy;
  if (task.error) node.error = task.error.message;
  if (task.kind === 'llm') {
    if (task.usage) node.tokens = task.usage.totalTokens;
    if (task.costUsd !== undefined) node.costUsd = task.costUsd;
    if (task.model !== undefined) node.model = task.model;
  }
  if (task.kind === 'graph') {
    node.tasks = taskTree(task.graph, path);
    addUsage(node, node.tasks);
  }
  return node;
}

/** A GraphTask's tokens and cost: the sums over its nested tasks (cost null when one is unknown). */
function addUsage(node: TreeNode, children: readonly TreeNode[]): void {
  for (const child of children) {
    if (child.tokens !== undefined) node.tokens = (node.tokens ?? 0) + child.tokens;
    if (child.costUsd === undefined) continue;
    node.costUsd =
      child.costUsd === null || node.costUsd === null ? null : (node.costUsd ?? 0) + child.costUsd;
  }
}
