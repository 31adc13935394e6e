import type { EdgeTypes, NodeMouseHandler, NodeTypes } from '@xyflow/react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { formatCount } from '../format.js';
import { useLayout } from '../layout/use-layout.js';
import type { CanvasActions } from './canvas-actions.js';
import { CanvasActionsContext } from './canvas-actions.js';
import type { NodeMarks, TaskFlowNode } from './flow-elements.js';
import { flowEdges, flowNodes, SPARSE_EDGES_AT } from './flow-elements.js';
import { layoutInput } from './layout-input.js';
import { RoutedEdge } from './routed-edge.js';
import type { TaskGroups } from './task-groups.js';
import { isGroupOpen } from './task-groups.js';
import { CreatedGroupNode, TaskGroupNode, TaskNode } from './task-node.js';

const NODE_TYPES: NodeTypes = { task: TaskNode, taskGroup: TaskGroupNode, createdGroup: CreatedGroupNode };
const EDGE_TYPES: EdgeTypes = { routed: RoutedEdge };
/** The first view fits the whole graph when that leaves it at least this zoom (its text readable). */
const READABLE_ZOOM = 0.45;
/** The zoom a graph too large to fit opens at, at its first tasks in reading order. */
const LARGE_GRAPH_ZOOM = 0.75;
const FIT_MAX_ZOOM = 1.1;
/** Past this many nodes the minimap is drawn just after the first view. */
const MINIMAP_DEFER_AT = 1_000;
const MINIMAP_DELAY_MS = 100;
const FIT_PADDING = 32;
/** Minimap colours by status (the minimap draws plain rectangles, not the nodes' CSS). */
const MINIMAP_COLOURS: Record<string, string> = {
  pending: '#9ca3af',
  running: '#2563eb',
  done: '#86efac',
  failed: '#dc2626',
  skipped: '#d97706',
  cancelled: '#6b7280',
  dropped: '#d1d5db',
};
/** The least zoom at which a task found by search is shown. */
const FOCUS_ZOOM = 0.9;

export interface GraphCanvasProps {
  index: TaskIndex;
  groups: TaskGroups;
  /** Groups opened or closed by hand (each flips its default: open when small). */
  toggled: ReadonlySet<string>;
  marks: NodeMarks;
  onToggleGroup(key: string): void;
  onSelect(key: string | undefined): void;
  /** A task to bring into view once it is laid out. */
  focus: string | undefined;
  onFocused(): void;
}

/** The task graph drawn as a DAG, laid out by dagre in a worker; pan, zoom, open and close groups. */
export function GraphCanvas(props: GraphCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({
  index,
  groups,
  toggled,
  marks,
  onToggleGroup,
  onSelect,
  focus,
  onFocused,
}: GraphCanvasProps) {
  const addedKeys = [...marks.live.added.keys()].filter((key) => !index.tasks.has(key)).join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the level changes only when the added keys do
  const input = useMemo(
    () => layoutInput(index, groups, (key) => isGroupOpen(index, groups, toggled, key), marks.live.added),
    [index, groups, toggled, addedKeys],
  );
  const { layout, level, pending, error } = useLayout(input);
  const nodes = useMemo(
    () => (layout && level ? flowNodes(index, groups, level, layout, marks) : []),
    [index, groups, level, layout, marks],
  );
  const sparse = (level?.nodes.length ?? 0) > SPARSE_EDGES_AT;
  // The minimap draws every task: for a large graph it comes after the first view, not before it.
  const [minimap, setMinimap] = useState(false);
  useEffect(() => {
    if (minimap || nodes.length === 0) return;
    if (nodes.length <= MINIMAP_DEFER_AT) {
      setMinimap(true);
      return;
    }
    const timer = setTimeout(() => setMinimap(true), MINIMAP_DELAY_MS);
    return () => clearTimeout(timer);
  }, [minimap, nodes.length]);
  const edges = useMemo(
    () => (layout && level ? flowEdges(level, layout, marks) : []),
    [level, layout, marks],
  );
  const actions = useMemo<CanvasActions>(() => ({ toggleGroup: onToggleGroup }), [onToggleGroup]);
  // A closed group of created tasks stands for its root task.
  const onNodeClick: NodeMouseHandler<TaskFlowNode> = (_event, node) =>
    onSelect(node.data.group && !node.data.expanded ? node.data.group.root : node.id);

  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current || !layout || nodes.length === 0) return;
    fitted.current = true;
    const box = canvas.current?.getBoundingClientRect();
    const width = box?.width ?? 800;
    const height = box?.height ?? 600;
    const fit = Math.min(
      (width - 2 * FIT_PADDING) / Math.max(layout.width, 1),
      (height - 2 * FIT_PADDING) / Math.max(layout.height, 1),
      FIT_MAX_ZOOM,
    );
    if (fit >= READABLE_ZOOM) {
      // The whole graph, centred: nothing cropped.
      flow.setViewport({
        x: (width - layout.width * fit) / 2,
        y: (height - layout.height * fit) / 2,
        zoom: fit,
      });
      return;
    }
    // Too large to read whole: open at its first task in reading order (top row, leftmost), readable.
    const top = nodes.reduce((a, b) =>
      b.position.y < a.position.y || (b.position.y === a.position.y && b.position.x < a.position.x) ? b : a,
    );
    flow.setViewport({
      x: FIT_PADDING - top.position.x * LARGE_GRAPH_ZOOM,
      y: FIT_PADDING - top.position.y * LARGE_GRAPH_ZOOM,
      zoom: LARGE_GRAPH_ZOOM,
    });
  }, [nodes, layout, flow]);
  useEffect(() => {
    if (focus === undefined || !layout?.placements[focus]) return;
    requestAnimationFrame(() => {
      // Not fitView: it skips nodes that were never drawn (out of view), and the target often is.
      const target = flow.getInternalNode(focus);
      if (target) {
        const { x, y } = target.internals.positionAbsolute;
        const width = target.width ?? 0;
        const height = target.height ?? 0;
        flow.setCenter(x + width / 2, y + height / 2, {
          zoom: Math.max(flow.getZoom(), FOCUS_ZOOM),
          duration: 200,
        });
      }
      onFocused();
    });
  }, [focus, layout, flow, onFocused]);

  return (
    <CanvasActionsContext.Provider value={actions}>
      <div
        className="tg-canvas"
        ref={canvas}
        data-testid="graph-canvas"
        data-layout={pending ? 'pending' : 'ready'}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodeClick={onNodeClick}
          onPaneClick={() => onSelect(undefined)}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          onlyRenderVisibleElements
          minZoom={0.02}
          maxZoom={2.5}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
          {minimap ? (
            <MiniMap
              pannable
              zoomable
              nodeClassName={(node) => node.className ?? ''}
              nodeColor={(node) => MINIMAP_COLOURS[(node.data as TaskFlowNode['data']).status] ?? '#9ca3af'}
              nodeStrokeWidth={0}
              ariaLabel="Minimap: the whole graph, tasks coloured by status"
            />
          ) : null}
        </ReactFlow>
        {pending && !layout ? (
          <div className="tg-canvas-note" role="status">
            Laying out {formatCount(index.tasks.size)} tasks…
          </div>
        ) : null}
        {sparse ? (
          <div className="tg-canvas-note tg-canvas-hint" data-testid="sparse-edges">
            {formatCount(level?.nodes.length ?? 0)} tasks side by side: edges are drawn for the selected task.
            Arrow keys walk them.
          </div>
        ) : null}
        {error ? (
          <div className="tg-canvas-note tg-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
    </CanvasActionsContext.Provider>
  );
}
