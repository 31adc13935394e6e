import type { PlanAction, TaskKind, TaskStatus } from '@taskgraph/core';
import type { Node, NodeHandle } from '@xyflow/react';
import { MarkerType, Position } from '@xyflow/react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import type { LayoutLevel, LayoutResult, Point } from '../layout/layout-types.js';
import { edgeId } from '../layout/layout-types.js';
import type { LiveRun, LiveStatus } from '../live-run.js';
import type { RoutedFlowEdge } from './routed-edge.js';
import type { CreatedGroup, TaskGroups } from './task-groups.js';

/** What a node shows and how it is coloured. */
export interface TaskNodeData extends Record<string, unknown> {
  key: string;
  id: string;
  kind: TaskKind;
  status: TaskStatus | 'dropped';
  durationMs: number | undefined;
  /** Tasks of the nested graph, for a GraphTask. */
  childCount: number;
  expanded: boolean;
  plan: PlanAction | undefined;
  live: LiveStatus | undefined;
  /** For a group of created tasks: its root task, and its members by status. */
  group?: { root: string; size: number; byStatus: Partial<Record<TaskStatus, number>> };
}

export type TaskFlowNode = Node<TaskNodeData>;

/** The marks the page puts on tasks besides their status. */
export interface NodeMarks {
  plan: ReadonlyMap<string, PlanAction> | undefined;
  live: LiveRun;
  diff: ReadonlyMap<string, string> | undefined;
  critical: ReadonlySet<string> | undefined;
  selected: string | undefined;
  /** Tasks the filters leave out, drawn faint. */
  dimmed: ReadonlySet<string> | undefined;
}

/** React Flow nodes of a laid-out level, parents before their children. */
export function flowNodes(
  index: TaskIndex,
  groups: TaskGroups,
  level: LayoutLevel,
  layout: LayoutResult,
  marks: NodeMarks,
) {
  const nodes: TaskFlowNode[] = [];
  const visit = (current: LayoutLevel, parent: string | undefined) => {
    for (const layoutNode of current.nodes) {
      const place = layout.placements[layoutNode.key];
      if (!place) continue;
      const created = groups.groups.get(layoutNode.key);
      const open = layoutNode.inner !== undefined;
      const data = created
        ? groupData(index, created, open, marks)
        : nodeData(index, layoutNode.key, open, marks);
      nodes.push({
        id: layoutNode.key,
        type: created ? 'createdGroup' : open ? 'taskGroup' : 'task',
        position: { x: place.x, y: place.y },
        width: place.width,
        height: place.height,
        handles: handles(place.width, place.height),
        data,
        className: nodeClass(data, marks),
        ...(parent === undefined ? {} : { parentId: parent, extent: 'parent' as const }),
        ...(layoutNode.inner ? { style: { width: place.width, height: place.height } } : {}),
      });
      if (layoutNode.inner) visit(layoutNode.inner, layoutNode.key);
    }
  };
  visit(level, undefined);
  return nodes;
}

/**
 * A level of more tasks than this draws only the edges of the selected task (and of the critical path
 * when it is shown): thousands of edges at once are a hairball no one reads, and slow to draw.
 */
export const SPARSE_EDGES_AT = 300;

/**
 * React Flow edges of a laid-out level: dependencies, and dashed edges from creators. `origin` is where
 * the level's group sits on the canvas (bend points are relative to it).
 */
export function flowEdges(
  level: LayoutLevel,
  layout: LayoutResult,
  marks: NodeMarks,
  origin: Point = { x: 0, y: 0 },
  depth = 0,
): RoutedFlowEdge[] {
  const edges: RoutedFlowEdge[] = [];
  const critical = marks.critical;
  const sparse = level.nodes.length > SPARSE_EDGES_AT;
  for (const { from, to, created } of level.edges) {
    if (!layout.placements[from] || !layout.placements[to]) continue;
    const id = edgeId(from, to);
    const onPath = critical?.has(from) && critical.has(to);
    if (sparse && !onPath && from !== marks.selected && to !== marks.selected) continue;
    const bends = layout.bends[id];
    edges.push({
      id,
      type: 'routed',
      source: from,
      target: to,
      className: [created ? 'edge-created' : '', onPath ? 'edge-critical' : ''].join(' ').trim(),
      animated: marks.live.tasks.get(to)?.status === 'running',
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
      ...(bends ? { data: { bends: bends.map((p) => ({ x: p.x + origin.x, y: p.y + origin.y })) } } : {}),
      ...(depth > 0 ? { zIndex: depth } : {}),
    });
  }
  for (const node of level.nodes) {
    const place = layout.placements[node.key];
    if (node.inner && place) {
      edges.push(
        ...flowEdges(node.inner, layout, marks, { x: origin.x + place.x, y: origin.y + place.y }, depth + 1),
      );
    }
  }
  return edges;
}

/**
 * Where the node's two handles are, given up front: React Flow then needs not render every node once to
 * measure them, and draws only the nodes in view (a graph of thousands of tasks opens at once).
 */
function handles(width: number, height: number): NodeHandle[] {
  const size = 6;
  const x = width / 2 - size / 2;
  return [
    { type: 'target', position: Position.Top, x, y: -size / 2, width: size, height: size },
    { type: 'source', position: Position.Bottom, x, y: height - size / 2, width: size, height: size },
  ];
}

function nodeData(index: TaskIndex, key: string, expanded: boolean, marks: NodeMarks): TaskNodeData {
  const entry = index.tasks.get(key);
  const added = marks.live.added.get(key);
  const live = marks.live.tasks.get(key);
  const stored = entry?.record.status ?? 'pending';
  return {
    key,
    id: shortId(entry?.record.id ?? added?.path[added.path.length - 1] ?? key, entry?.record.createdBy),
    kind: entry?.record.kind ?? added?.kind ?? 'function',
    status: live ? liveStatus(live.status) : stored,
    durationMs: live ? live.durationMs : entry?.record.durationMs,
    childCount: entry?.children.length ?? 0,
    expanded,
    plan: marks.plan?.get(key),
    live: live?.status,
  };
}

/** The status a group shows: the first of failed, running, skipped, cancelled, pending that a member has. */
const GROUP_STATUS_ORDER: readonly TaskStatus[] = [
  'failed',
  'running',
  'skipped',
  'cancelled',
  'pending',
  'done',
];

function groupData(index: TaskIndex, group: CreatedGroup, expanded: boolean, marks: NodeMarks): TaskNodeData {
  const byStatus: Partial<Record<TaskStatus, number>> = {};
  for (const member of group.members) {
    const live = marks.live.tasks.get(member);
    const status = live ? liveStatus(live.status) : index.tasks.get(member)?.record.status;
    if (status && status !== 'dropped') byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const root = index.tasks.get(group.root);
  return {
    key: group.key,
    id: root?.record.id ?? group.root,
    kind: root?.record.kind ?? 'function',
    status: GROUP_STATUS_ORDER.find((status) => (byStatus[status] ?? 0) > 0) ?? 'done',
    durationMs: undefined,
    childCount: group.members.length,
    expanded,
    plan: undefined,
    live: undefined,
    group: { root: group.root, size: group.members.length, byStatus },
  };
}

/**
 * A created task's id without its creator's id before it (`invoices/act-1/llm-2` created by
 * `invoices/act-1` shows as `…/llm-2`): down a chain of created tasks the ids grow long, and the
 * creator is drawn above it anyway. The whole id is the node's title.
 */
function shortId(id: string, creator: string | undefined): string {
  return creator !== undefined && id.startsWith(`${creator}/`) ? `…/${id.slice(creator.length + 1)}` : id;
}

function liveStatus(status: LiveStatus): TaskNodeData['status'] {
  return status === 'reused' ? 'done' : status;
}

function nodeClass(data: TaskNodeData, marks: NodeMarks): string {
  const classes = ['tg-node', `kind-${data.kind}`, `status-${data.status}`];
  if (data.plan) classes.push(`plan-${data.plan}`);
  if (data.live) classes.push(`live-${data.live}`);
  const change = marks.diff?.get(data.key);
  if (change) classes.push(`diff-${change}`);
  if (marks.critical?.has(data.key)) classes.push('critical');
  if (marks.selected === data.key) classes.push('is-selected');
  if (marks.dimmed?.has(data.key)) classes.push('is-dim');
  return classes.join(' ');
}
