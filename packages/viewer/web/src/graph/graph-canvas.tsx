import type { EdgeTypes, NodeMouseHandler, NodeTypes } from '@xyflow/react';
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { formatCount } from '../format.js';
import type { LayoutResult } from '../layout/layout-types.js';
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
const MIN_ZOOM = 0.02;
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
/** How far down an open group the view centres (its header and first tasks in view). */
const GROUP_TOP_VIEW = 240;

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
  // A group opened or closed stays in view once the graph is laid out again around it.
  const toggledGroup = useRef<{ key: string; before: LayoutResult | undefined } | undefined>(undefined);
  const actions = useMemo<CanvasActions>(
    () => ({
      toggleGroup: (key) => {
        toggledGroup.current = { key, before: layout };
        onToggleGroup(key);
      },
    }),
    [onToggleGroup, layout],
  );
  // A closed group of created tasks stands for its root task.
  const onNodeClick: NodeMouseHandler<TaskFlowNode> = (_event, node) =>
    onSelect(node.data.group && !node.data.expanded ? node.data.group.root : node.id);

  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const fitted = useRef(false);
  /**
   * Fits the whole graph from its layout's size (React Flow's own fitView skips the tasks it never drew,
   * and with only the visible tasks drawn, that is most of a large graph).
   */
  const fitWhole = useCallback(
    (readableOnly: boolean) => {
      if (!layout) return false;
      const box = canvas.current?.getBoundingClientRect();
      const width = box?.width ?? 800;
      const height = box?.height ?? 600;
      const fit = Math.min(
        (width - 2 * FIT_PADDING) / Math.max(layout.width, 1),
        (height - 2 * FIT_PADDING) / Math.max(layout.height, 1),
        FIT_MAX_ZOOM,
      );
      if (readableOnly && fit < READABLE_ZOOM) return false;
      const zoom = Math.max(fit, MIN_ZOOM);
      flow.setViewport({
        x: (width - layout.width * zoom) / 2,
        y: (height - layout.height * zoom) / 2,
        zoom,
      });
      return true;
    },
    [layout, flow],
  );
  useEffect(() => {
    if (fitted.current || !layout || nodes.length === 0) return;
    fitted.current = true;
    // The whole graph, centred, when it is readable so; else its first task in reading order (top row,
    // leftmost), readable.
    if (fitWhole(true)) return;
    const top = nodes.reduce((a, b) =>
      b.position.y < a.position.y || (b.position.y === a.position.y && b.position.x < a.position.x) ? b : a,
    );
    flow.setViewport({
      x: FIT_PADDING - top.position.x * LARGE_GRAPH_ZOOM,
      y: FIT_PADDING - top.position.y * LARGE_GRAPH_ZOOM,
      zoom: LARGE_GRAPH_ZOOM,
    });
  }, [nodes, layout, flow, fitWhole]);
  /**
   * Centres a task (or group) at a readable zoom; an open group's top rather than its middle. Not fitView:
   * it skips nodes that were never drawn (out of view), and the target often is.
   */
  const centerOn = useCallback(
    (key: string) => {
      const target = flow.getInternalNode(key);
      if (!target) return;
      const { x, y } = target.internals.positionAbsolute;
      const width = target.width ?? 0;
      const height = target.height ?? 0;
      flow.setCenter(x + width / 2, y + Math.min(height / 2, GROUP_TOP_VIEW), {
        zoom: Math.max(flow.getZoom(), FOCUS_ZOOM),
        duration: 200,
      });
    },
    [flow],
  );
  useEffect(() => {
    if (focus === undefined || !layout?.placements[focus]) return;
    requestAnimationFrame(() => {
      centerOn(focus);
      onFocused();
    });
  }, [focus, layout, centerOn, onFocused]);
  useEffect(() => {
    const toggled = toggledGroup.current;
    if (!toggled || !layout || layout === toggled.before || !layout.placements[toggled.key]) return;
    toggledGroup.current = undefined;
    requestAnimationFrame(() => {
      const target = flow.getInternalNode(toggled.key);
      const width = canvas.current?.getBoundingClientRect().width ?? 0;
      const zoom = Math.max(flow.getZoom(), FOCUS_ZOOM);
      if (!target || (target.width ?? 0) * zoom <= width - 2 * FIT_PADDING) {
        centerOn(toggled.key);
        return;
      }
      // Wider than the view: its beginning in reading order, top left.
      const { x, y } = target.internals.positionAbsolute;
      flow.setViewport({ x: FIT_PADDING - x * zoom, y: FIT_PADDING - y * zoom, zoom }, { duration: 200 });
    });
  }, [layout, centerOn, flow]);

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
          minZoom={MIN_ZOOM}
          maxZoom={2.5}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton onClick={() => fitWhole(false)} title="Fit the whole graph" aria-label="Fit View">
              <FitIcon />
            </ControlButton>
          </Controls>
          {minimap ? (
            <MiniMap
              pannable
              zoomable
              nodeClassName={(node) => node.className ?? ''}
              nodeColor={(node) =>
                isOpenBox(node)
                  ? 'rgba(148, 163, 184, 0.12)'
                  : (MINIMAP_COLOURS[(node.data as TaskFlowNode['data']).status] ?? '#9ca3af')
              }
              nodeStrokeColor={(node) => (isOpenBox(node) ? '#64748b' : 'transparent')}
              nodeStrokeWidth={4}
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

/** An open group: the minimap draws it as an outline, so that the tasks inside it show. */
function isOpenBox(node: { type?: string | undefined; data: Record<string, unknown> }): boolean {
  return (node.type === 'taskGroup' || node.type === 'createdGroup') && node.data.expanded === true;
}

/** Four corners, as React Flow's own fit-view button draws them. */
function FitIcon() {
  return (
    <svg viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
