import type { EdgeTypes, NodeMouseHandler, NodeTypes } from '@xyflow/react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import { formatCount } from '../format.js';
import { useLayout } from '../layout/use-layout.js';
import type { CanvasActions } from './canvas-actions.js';
import { CanvasActionsContext } from './canvas-actions.js';
import type { NodeMarks, TaskFlowNode } from './flow-elements.js';
import { flowEdges, flowNodes } from './flow-elements.js';
import { layoutInput } from './layout-input.js';
import { RoutedEdge } from './routed-edge.js';
import { TaskGroupNode, TaskNode } from './task-node.js';

const NODE_TYPES: NodeTypes = { task: TaskNode, taskGroup: TaskGroupNode };
const EDGE_TYPES: EdgeTypes = { routed: RoutedEdge };
/** Graphs up to this many tasks open fitted to the view. */
const FIRST_VIEW_TASKS = 60;
const LARGE_GRAPH_ZOOM = 0.75;
/** The least zoom at which a task found by search is shown. */
const FOCUS_ZOOM = 0.9;

export interface GraphCanvasProps {
  index: TaskIndex;
  expanded: ReadonlySet<string>;
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

function Canvas({ index, expanded, marks, onToggleGroup, onSelect, focus, onFocused }: GraphCanvasProps) {
  const addedKeys = [...marks.live.added.keys()].filter((key) => !index.tasks.has(key)).join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the level changes only when the added keys do
  const input = useMemo(() => layoutInput(index, expanded, marks.live.added), [index, expanded, addedKeys]);
  const { layout, level, pending, error } = useLayout(input);
  const nodes = useMemo(
    () => (layout && level ? flowNodes(index, level, layout, marks) : []),
    [index, level, layout, marks],
  );
  const edges = useMemo(
    () => (layout && level ? flowEdges(level, layout, marks) : []),
    [level, layout, marks],
  );
  const actions = useMemo<CanvasActions>(() => ({ toggleGroup: onToggleGroup }), [onToggleGroup]);
  const onNodeClick: NodeMouseHandler<TaskFlowNode> = (_event, node) => onSelect(node.id);

  const flow = useReactFlow();
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current || nodes.length === 0) return;
    fitted.current = true;
    requestAnimationFrame(() => {
      // A small graph is fitted whole; a large one opens at its first task, readable and light to draw.
      if (nodes.length <= FIRST_VIEW_TASKS) {
        flow.fitView({ padding: 0.15, maxZoom: 1.1 });
        return;
      }
      const top = nodes.reduce((a, b) =>
        b.position.y < a.position.y || (b.position.y === a.position.y && b.position.x < a.position.x) ? b : a,
      );
      const zoom = LARGE_GRAPH_ZOOM;
      flow.setViewport({ x: 24 - top.position.x * zoom, y: 24 - top.position.y * zoom, zoom });
    });
  }, [nodes, flow]);
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
      <div className="tg-canvas" data-testid="graph-canvas" data-layout={pending ? 'pending' : 'ready'}>
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
          <MiniMap pannable zoomable nodeClassName={(node) => node.className ?? ''} />
        </ReactFlow>
        {pending && !layout ? (
          <div className="tg-canvas-note" role="status">
            Laying out {formatCount(index.tasks.size)} tasks…
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
