/** One graph level to lay out: its nodes (an open group holds its own level) and its edges. */
export interface LayoutLevel {
  nodes: LayoutNode[];
  /** Edges between nodes of this level: a dependency, or a creator to the task it created. */
  edges: LayoutEdge[];
}

export interface LayoutEdge {
  from: string;
  to: string;
  created?: boolean;
}

export interface LayoutNode {
  key: string;
  width: number;
  height: number;
  /** The tasks of an open group, laid out inside it. */
  inner?: LayoutLevel;
}

/** Where a node goes: top-left corner relative to its group (or to the canvas at the root), and size. */
export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutResult {
  placements: Record<string, Placement>;
  /**
   * Bend points of edges that cross ranks, by edge id (`edgeId`), in the coordinates of the edge's own
   * level (relative to its group, like its nodes).
   */
  bends: Record<string, Point[]>;
  width: number;
  height: number;
}

/** Sizes shared by the layout and the node components. */
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 58;
/** A closed GraphTask has a third line: its open button. */
export const GRAPH_NODE_HEIGHT = 80;
export const GROUP_MIN_WIDTH = 300;
export const GROUP_PADDING = 20;
export const GROUP_HEADER = 44;

/** The id of the edge from `from` to `to`, shared by the layout and the drawn edges. */
export function edgeId(from: string, to: string): string {
  return `${from}\u2192${to}`;
}
