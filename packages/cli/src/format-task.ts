import type { TaskRecord } from '@taskgraph/core';
import { formatCost, formatDuration, formatTokens, table } from './format-units.js';

/** One task in full, as `show --task` prints it: its fields, then prompt, response, output, error. */
export function formatTask(address: string, record: TaskRecord): string {
  const rows: string[][] = [
    ['status', record.status],
    ['attempts', String(record.attempts ?? 0)],
  ];
  if (record.startedAt !== undefined) rows.push(['started', new Date(record.startedAt).toISOString()]);
  if (record.durationMs !== undefined) rows.push(['duration', formatDuration(record.durationMs)]);
  const deps = [
    ...(record.deps ?? []),
    ...Object.entries(record.namedDeps ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  if (deps.length > 0) rows.push(['deps', deps.join(', ')]);
  if (record.createdBy !== undefined) rows.push(['created by', record.createdBy]);
  if (record.args !== undefined) rows.push(['args', JSON.stringify(record.args)]);
  const sections: string[] = [];
  switch (record.kind) {
    case 'function':
      rows.push(['function', record.fn]);
      break;
    case 'graph':
      rows.push(['input from', record.inputFn]);
      rows.push(['tasks', record.graph.tasks.map((task) => task.id).join(', ') || '(none)']);
      sections.push(block('Input', record.graph.input));
      break;
    case 'llm': {
      const parser = typeof record.parser === 'string' ? record.parser : 'a JSON schema';
      rows.push(['prompt from', record.promptFn], ['parser', parser], ['handler', record.handler]);
      if (record.model !== undefined) rows.push(['model', record.model]);
      if (record.params !== undefined) rows.push(['params', JSON.stringify(record.params)]);
      if (record.usage) {
        const { totalTokens, promptTokens, completionTokens } = record.usage;
        rows.push([
          'tokens',
          `${formatTokens(totalTokens)} (${promptTokens} prompt + ${completionTokens} completion)`,
        ]);
      }
      if (record.costUsd !== undefined) rows.push(['cost', formatCost(record.costUsd)]);
      if (record.responseSource) rows.push(['response from', record.responseSource]);
      sections.push(promptBlock(record.prompt), block('Response', responseText(record.response)));
      (record.repairs ?? []).forEach((repair, i) => {
        sections.push(
          block(`Rejected reply ${i + 1} (${repair.error.message})`, responseText(repair.response)),
        );
      });
      break;
    }
  }
  if (record.kind !== 'graph') sections.push(block('Output', record.output));
  if (record.error) sections.push(block('Error', errorText(record.error)));
  const head = `Task ${address} (${record.kind})`;
  return [head, ...table(rows).map((line) => `  ${line}`), ...sections].join('\n');
}

function block(title: string, value: unknown): string {
  if (value === undefined) return `\n${title}\n  (none)`;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return `\n${title}\n${indent(text)}`;
}

function promptBlock(prompt: unknown): string {
  if (!Array.isArray(prompt)) return block('Prompt', prompt);
  const messages = prompt.map((message: { role?: unknown; content?: unknown }) => {
    const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    return `[${String(message.role)}] ${content}`;
  });
  return block('Prompt', messages.join('\n'));
}

function responseText(response: unknown): unknown {
  const message = response as { content?: unknown; toolCalls?: unknown } | undefined;
  if (message && typeof message === 'object' && typeof message.content === 'string' && !message.toolCalls) {
    return message.content;
  }
  return response;
}

function errorText(error: NonNullable<TaskRecord['error']>): string {
  const lines = [`${error.name}${error.code ? ` [${error.code}]` : ''}: ${error.message}`];
  for (let cause = error.cause; cause; cause = cause.cause)
    lines.push(`caused by ${cause.name}: ${cause.message}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
