import type { Edge, EdgeProps } from '@xyflow/react';
import { BaseEdge, getBezierPath } from '@xyflow/react';
import type { Point } from '../layout/layout-types.js';

export type RoutedEdgeData = { bends?: Point[] };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/**
 * An edge that follows the bend points dagre gave it around the ranks it crosses (so it does not run
 * under the tasks between its ends); a bezier curve when it has none.
 */
export function RoutedEdge(props: EdgeProps<RoutedFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, style } =
    props;
  const bends = data?.bends ?? [];
  const path =
    bends.length === 0
      ? getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition })[0]
      : smoothPath([{ x: sourceX, y: sourceY }, ...bends, { x: targetX, y: targetY }]);
  return <BaseEdge path={path} {...(markerEnd ? { markerEnd } : {})} {...(style ? { style } : {})} />;
}

/** A smooth path through `points`: straight to the first midpoint, then quadratic curves via each point. */
function smoothPath(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M ${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as Point;
    const next = rest[i + 1] as Point;
    d += ` Q ${p.x},${p.y} ${(p.x + next.x) / 2},${(p.y + next.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  return last ? `${d} L ${last.x},${last.y}` : d;
}
