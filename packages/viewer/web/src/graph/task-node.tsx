import type { NodeProps } from '@xyflow/react';
import { Handle, Position } from '@xyflow/react';
import { useContext } from 'react';
import { formatCount, formatMs } from '../format.js';
import { STATUS_ICON } from '../status-icon.js';
import { CanvasActionsContext } from './canvas-actions.js';
import type { TaskFlowNode, TaskNodeData } from './flow-elements.js';

const PLAN_LABEL = { rerun: 're-run', recreate: 'recreate', reuse: '' } as const;
const LIVE_LABEL = { running: 'running', done: 'ran', reused: 'reused' } as const;

/** A task: its id, status (sign, word and colour), kind and duration; outline by replay plan. */
export function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="tg-node-body" title={data.key}>
        <div className="tg-node-title">
          <span className="tg-node-id">{data.id}</span>
          <span className="tg-kind">{data.kind}</span>
        </div>
        <NodeMeta data={data} />
        {data.kind === 'graph' ? <GroupToggle data={data} /> : null}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

/** An open GraphTask: a box around the tasks of its nested graph. */
export function TaskGroupNode({ data }: NodeProps<TaskFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="tg-group-header" title={data.key}>
        <span className="tg-node-id">{data.id}</span>
        <NodeMeta data={data} />
        <GroupToggle data={data} />
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

function NodeMeta({ data }: { data: TaskNodeData }) {
  const live =
    data.live && data.live in LIVE_LABEL ? LIVE_LABEL[data.live as keyof typeof LIVE_LABEL] : data.live;
  const plan = data.plan ? PLAN_LABEL[data.plan] : '';
  return (
    <div className="tg-node-meta">
      <span className="tg-node-status" data-status={data.status}>
        <span aria-hidden="true">{STATUS_ICON[data.status]}</span> {data.status}
      </span>
      <span className="tg-duration">{formatMs(data.durationMs)}</span>
      {live ? <span className="tg-badge tg-badge-live">{live}</span> : null}
      {!live && plan ? <span className="tg-badge tg-badge-plan">{plan}</span> : null}
    </div>
  );
}

function GroupToggle({ data }: { data: TaskNodeData }) {
  const { toggleGroup } = useContext(CanvasActionsContext);
  const label = data.expanded
    ? 'close'
    : `open · ${formatCount(data.childCount)} task${data.childCount === 1 ? '' : 's'}`;
  const name = data.group ? `tasks created by ${data.id}` : data.id;
  return (
    <button
      type="button"
      className="tg-toggle nodrag"
      aria-expanded={data.expanded}
      aria-label={`${data.expanded ? 'Close' : 'Open'} group ${name}`}
      onClick={(event) => {
        event.stopPropagation();
        toggleGroup(data.key);
      }}
    >
      {data.expanded ? '− ' : '+ '}
      {label}
    </button>
  );
}

/**
 * The tasks one task created down its chain (an agent loop, a planner, a queue): closed, one node that
 * counts them by status; open, a box around them.
 */
export function CreatedGroupNode({ data }: NodeProps<TaskFlowNode>) {
  const counts = Object.entries(data.group?.byStatus ?? {}) as Array<[TaskNodeData['status'], number]>;
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className={data.expanded ? 'tg-group-header' : 'tg-node-body'} title={data.group?.root}>
        <span className="tg-node-id">
          {data.id} <span className="tg-muted">+ {formatCount((data.group?.size ?? 1) - 1)} created</span>
        </span>
        <div className="tg-node-meta">
          {counts.map(([status, count]) => (
            <span key={status} className="tg-node-status" data-status={status}>
              <span aria-hidden="true">{STATUS_ICON[status]}</span> {formatCount(count)} {status}
            </span>
          ))}
        </div>
        <GroupToggle data={data} />
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}
