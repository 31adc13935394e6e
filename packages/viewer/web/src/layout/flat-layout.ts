import type { Point } from './layout-types.js';

/** A node of one level with its final size (an open group's size comes from its content). */
export interface SizedNode {
  key: string;
  width: number;
  height: number;
}

/** Top-left corners of a level's nodes, edge bend points, and the level's size. */
export interface FlatLayout {
  positions: Map<string, Point>;
  bends: Record<string, Point[]>;
  width: number;
  height: number;
}

export const NODE_GAP = 28;
export const RANK_GAP = 64;
