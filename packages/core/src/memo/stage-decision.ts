import type { ForceSet } from '../model/force-set.js';
import type { Stage, Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { stageFingerprint } from './fingerprints.js';

/**
 * Why a stage re-runs: missing (no stored value), failed (the task failed last time), forced,
 * upstream (something it depends on re-runs), version (its function's version changed), changed (its
 * fingerprint no longer matches the stored values: an input of it was edited).
 */
export type PlanCause = 'missing' | 'failed' | 'forced' | 'upstream' | 'version' | 'changed';

export type StageDecision = { action: 'reuse' } | { action: 'rerun'; cause: PlanCause };

export interface StageQuery {
  graph: TaskGraphBase;
  task: Task;
  taskPath: readonly string[];
  stage: Stage;
  /** The registered function the stage uses, and its version now. */
  fnId: string | undefined;
  version: string | undefined;
  force: ForceSet;
  /**
   * Only for plans: whether something the stage depends on is planned to re-run. A run never passes it:
   * by the time a stage is decided, what it depends on has its new value, which its fingerprint covers.
   */
  upstream?: boolean;
}

const REUSE: StageDecision = { action: 'reuse' };

/**
 * The memo's one rule, used by both TaskGraph.run and planReplay: a stored stage is reused exactly when
 * it has a value, is not forced, and its stored fingerprint equals the one recomputed from the values the
 * graph holds now. A value without a fingerprint (computed in this process, or written by hand without
 * one) is taken as it is.
 */
export function decideStage(query: StageQuery): StageDecision {
  const { task, stage, fnId } = query;
  if (!task.slot(stage)) return { action: 'rerun', cause: task.status === 'failed' ? 'failed' : 'missing' };
  if (!query.force.empty && query.force.has(query.taskPath, fnId))
    return { action: 'rerun', cause: 'forced' };
  const stored = task.fingerprints[stage];
  if (stored === undefined) return REUSE;
  if (query.upstream) return { action: 'rerun', cause: 'upstream' };
  if (fnId !== undefined && task.versions[stage] !== query.version)
    return { action: 'rerun', cause: 'version' };
  return stageFingerprint(query.graph, task, stage, query.version) === stored
    ? REUSE
    : { action: 'rerun', cause: 'changed' };
}
