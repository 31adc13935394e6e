import { formatCost, formatDuration, formatTokens, shorten, table } from './format-units.js';
import type { TreeDocument, TreeNode } from './task-tree.js';

/** `show` as text: a line on the run, then one row per task, nested graphs indented under their GraphTask. */
export function formatTree(document: TreeDocument): string {
  const lines = [runLine(document)];
  for (const [id, description] of Object.entries(document.run?.handlers ?? {})) {
    lines.push(`LLM handler ${id}: ${description}`);
  }
  const rows: string[][] = [['TASK', 'KIND', 'STATUS', 'TIME', 'TOKENS', 'COST', '']];
  const visit = (nodes: readonly TreeNode[], depth: number) => {
    for (const node of nodes) {
      rows.push([
        `${'  '.repeat(depth)}${node.id}`,
        node.kind,
        node.status,
        formatDuration(node.durationMs),
        formatTokens(node.tokens),
        formatCost(node.costUsd),
        note(node),
      ]);
      if (node.tasks) visit(node.tasks, depth + 1);
    }
  };
  visit(document.tasks, 0);
  // One push per line: a spread of every row overflows the stack past about 125,000 tasks.
  lines.push('');
  for (const line of table(rows)) lines.push(line);
  if (document.tasks.some((node) => node.tasks && node.tasks.length > 0)) {
    lines.push('', "Name a nested task as outer>inner: taskgraph show <trace> --task 'outer>inner'.");
  }
  return lines.join('\n');
}

function runLine(document: TreeDocument): string {
  const run = document.run;
  if (!run) return `${document.trace}: never run`;
  const usage = run.usage;
  const parts = [
    `${document.trace}: last run ${run.status}`,
    formatDuration(run.durationMs),
    ...(usage
      ? [
          `${usage.llmCalls} LLM call${usage.llmCalls === 1 ? '' : 's'}`,
          `${formatTokens(usage.totalTokens)} tokens`,
          usage.unknownCostCalls > 0
            ? `${formatCost(usage.costUsd)} + ${usage.unknownCostCalls} unpriced`
            : formatCost(usage.costUsd),
        ]
      : ['no LLM call']),
  ];
  return parts.join(' · ');
}

function note(node: TreeNode): string {
  if (node.error) return shorten(node.error, 80);
  if (node.createdBy) return `created by ${node.createdBy}`;
  return '';
}
