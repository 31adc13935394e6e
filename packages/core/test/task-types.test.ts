import { describe, expectTypeOf, it } from 'vitest';
import { FunctionRegistry, type TaskContext, TaskGraph, type TaskRef } from '../src/index.js';

/**
 * Type tests: `tsc -p tsconfig.json` (part of the test command) fails when a `@ts-expect-error` line
 * compiles, or when an `expectTypeOf` does not hold. The specs that must not compile are built inside
 * functions that never run.
 */
interface Input {
  topic: string;
}

const registry = new FunctionRegistry();
const text = registry.register('text', () => 'a');
const count = registry.register('count', () => 1);
const upper = registry.register('upper', (_ctx, value: string) => value.toUpperCase());
const pair = registry.register('pair', (_ctx, a: string, b: number) => `${a}${b}`);
const named = registry.register('named', (_ctx, words: { first: string; second: number }) => words.first);
const mixed = registry.register('mixed', (_ctx, a: string, words: { n: number }) => a.repeat(words.n));
const optional = registry.register('optional', (_ctx, value?: string) => value ?? '');
const topic = registry.register('topic', (ctx: TaskContext<Input>) => ctx.input.topic);

describe('deps and namedDeps, checked by tsc', () => {
  it('accepts dependencies that match the parameters', () => {
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: text });
    const n = graph.addFunction({ id: 'n', fn: count });
    expectTypeOf(graph.addFunction({ id: 'u', fn: upper, deps: [a] })).toEqualTypeOf<TaskRef<string>>();
    graph.addFunction({ id: 'p', fn: pair, deps: [a, n] });
    graph.addFunction({ id: 'w', fn: named, namedDeps: { first: a, second: n } });
    graph.addFunction({ id: 'm', fn: mixed, deps: [a], namedDeps: { n } });
    graph.addFunction({ id: 'o', fn: optional });
    graph.addFunction({ id: 'o2', fn: optional, deps: [a] });
    graph.addFunction({ id: 'by-id', fn: 'upper', deps: ['a'] }); // an id: tsc cannot see its parameters
    graph.addLLM({ id: 'l', prompt: upper, deps: [a] });
  });

  it('refuses a missing deps, too few or of the wrong type', () => {
    const refused = (graph: TaskGraph, a: TaskRef<string>, n: TaskRef<number>) => {
      // @ts-expect-error upper takes a string: deps cannot be left out
      graph.addFunction({ id: 'x1', fn: upper });
      // @ts-expect-error the same for the prompt formatter of an LLM task
      graph.addLLM({ id: 'x2', prompt: upper });
      // @ts-expect-error pair takes two dependencies
      graph.addFunction({ id: 'x3', fn: pair, deps: [a] });
      // @ts-expect-error a number where a string is expected
      graph.addFunction({ id: 'x4', fn: upper, deps: [n] });
      // @ts-expect-error a function without parameters takes no dependency
      graph.addFunction({ id: 'x5', fn: text, deps: [a] });
    };
    expectTypeOf(refused).toBeFunction();
  });

  it('refuses namedDeps that are missing, lack a key or have the wrong type', () => {
    const refused = (graph: TaskGraph, a: TaskRef<string>, n: TaskRef<number>) => {
      // @ts-expect-error named takes its words as namedDeps
      graph.addFunction({ id: 'y1', fn: named });
      // @ts-expect-error `second` is missing
      graph.addFunction({ id: 'y2', fn: named, namedDeps: { first: a } });
      // @ts-expect-error `second` must be a number
      graph.addFunction({ id: 'y3', fn: named, namedDeps: { first: a, second: a } });
      // @ts-expect-error mixed needs its positional dependency too
      graph.addFunction({ id: 'y4', fn: mixed, namedDeps: { n } });
      // @ts-expect-error upper takes no named dependencies
      graph.addFunction({ id: 'y5', fn: upper, deps: [a], namedDeps: { n } });
    };
    expectTypeOf(refused).toBeFunction();
  });
});

describe('the graph input and output, typed from the graph', () => {
  it('types the input from the constructor and run() from setOutput', () => {
    const graph = new TaskGraph({ input: { topic: 'owls' } });
    expectTypeOf(graph.input).toEqualTypeOf<{ topic: string }>();
    const t = graph.addFunction({ id: 't', fn: topic });
    const typed = graph.setOutput(graph.addFunction({ id: 'u', fn: upper, deps: [t] }));
    expectTypeOf(typed).toEqualTypeOf<TaskGraph<{ topic: string }, string>>();
    expectTypeOf(typed.run).returns.resolves.toEqualTypeOf<string>();
  });

  it('gives ctx.input the graph input type, in created tasks too', () => {
    const graph = new TaskGraph<Input>();
    const spawn = registry.register('spawn', (ctx: TaskContext<Input>) => {
      expectTypeOf(ctx.input).toEqualTypeOf<Input>();
      return ctx.addFunction({ id: 'child', fn: topic }).id;
    });
    graph.addFunction({ id: 's', fn: spawn });
  });

  it('refuses a function that expects another input, and an output of another type', () => {
    const refused = (a: TaskRef<string>) => {
      // @ts-expect-error `topic` reads ctx.input.topic: a graph of unknown input cannot use it
      new TaskGraph().addFunction({ id: 'z1', fn: topic });
      // @ts-expect-error the input has no `topic`
      new TaskGraph({ input: { count: 1 } }).addFunction({ id: 'z2', fn: topic });
      // @ts-expect-error the input is declared, and a number is not one
      new TaskGraph<Input>({ input: 3 });
      // @ts-expect-error the graph's output is declared a number
      new TaskGraph<Input, number>().setOutput(a);
    };
    expectTypeOf(refused).toBeFunction();
  });
});
