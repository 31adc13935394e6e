import type { ChatMessage } from '@taskgraph/core';
import { FunctionRegistry, TaskGraph } from '@taskgraph/core';

/** The graph input: the kinds of things to list. */
export interface QuickstartInput {
  kinds: string[];
}

export type Lists = Record<string, string[]>;

export const registry = new FunctionRegistry();

/** Asks for five things of the kind at `ctx.args.index` in the graph input. */
const listPrompt = registry.register('listPrompt', (ctx): ChatMessage[] => {
  const { kinds } = ctx.input as QuickstartInput;
  const { index } = ctx.args as { index: number };
  return [
    {
      role: 'system',
      content: 'You answer with a plain list: one item per line, no numbering, nothing else.',
    },
    { role: 'user', content: `List five ${kinds[index]}.` },
  ];
});

/** Reads a list reply: one item per line, bullets and numbers removed, at most five. */
const parseList = registry.register('parseList', (_ctx, text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter(Boolean)
    .slice(0, 5),
);

/** Joins the three lists into one object keyed by kind: the graph's output. */
const joinLists = registry.register('joinLists', (ctx, ...lists: string[][]): Lists => {
  const { kinds } = ctx.input as QuickstartInput;
  return Object.fromEntries(kinds.map((kind, i) => [kind, lists[i] ?? []]));
});

const pickPrompt = registry.register(
  'pickPrompt',
  (_ctx, lists: Lists) =>
    `Pick one item from each list and say in one sentence why they go together.\n${Object.entries(lists)
      .map(([kind, items]) => `${kind}: ${items.join(', ')}`)
      .join('\n')}`,
);

/** Adds a task while running: an LLM task that picks one item of each list. */
const suggest = registry.register('suggest', (ctx, _lists: Lists) => {
  const pick = ctx.addLLM({ id: 'pick', prompt: pickPrompt, deps: ['join'] });
  return { added: pick.id };
});

/** The quickstart graph: three LLM tasks list things, a function joins them, a task adds a task. */
export function buildGraph(input: QuickstartInput = { kinds: ['fruits', 'colors', 'animals'] }) {
  const graph = new TaskGraph<QuickstartInput>({ input });
  const lists = input.kinds.map((_kind, index) =>
    graph.addLLM({ id: `list-${index}`, prompt: listPrompt, parser: parseList, args: { index } }),
  );
  const join = graph.addFunction({ id: 'join', fn: joinLists, deps: lists });
  graph.addFunction({ id: 'suggest', fn: suggest, deps: [join] });
  return graph.setOutput(join);
}

export const graph = buildGraph();
