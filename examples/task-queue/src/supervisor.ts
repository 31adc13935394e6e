import type { LLMHandler } from '@taskgraph/core';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { addQueueSupervisor, registerQueue } from '@taskgraph/patterns';
import { checkInvoice, INVOICES } from './invoices.js';

export const GOAL = `Validate this batch of invoices, one at a time: ${INVOICES.map((i) => i.id).join(', ')}. Mark each one done if it is valid, failed (with the problem) if not.`;

/** A registry with the queue's functions, the invoice tool and `handler` as the "openai" handler. */
export function buildRegistry(handler: LLMHandler): FunctionRegistry {
  const registry = new FunctionRegistry().addHandler(handler);
  registerQueue(registry, { tools: [checkInvoice] });
  return registry;
}

/** The graph: an LLM supervisor that works through the invoices with the queue tool and check_invoice. */
export function buildGraph(model?: string): TaskGraph {
  const graph = new TaskGraph();
  addQueueSupervisor(graph, {
    id: 'invoices',
    goal: GOAL,
    tools: [checkInvoice],
    params: { temperature: 0, ...(model ? { model } : {}) },
    maxTurns: 20,
  });
  return graph;
}
