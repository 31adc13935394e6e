import type { FunctionRegistry, PlanOptions, ReplayPlan, TaskGraph } from '@taskgraph/core';
import { planReplay as corePlanReplay } from '@taskgraph/core';

// Core plans without a registry (taking each task's stored function versions as current) although its
// signature still asks for one; see the report on @taskgraph/core. This view of it says so.
const planWithOptionalRegistry = corePlanReplay as (
  graph: TaskGraph,
  registry?: FunctionRegistry,
  options?: PlanOptions,
) => ReplayPlan;

/** What a replay would do; without a registry, stored function versions count as current. */
export function planReplay(
  graph: TaskGraph,
  registry: FunctionRegistry | undefined,
  options: PlanOptions = {},
): ReplayPlan {
  return planWithOptionalRegistry(graph, registry, options);
}
