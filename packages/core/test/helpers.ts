import { FunctionRegistry, TaskGraphError } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';

/** Two or more parties that each wait until all have arrived; fails (not hangs) when one never comes. */
export function barrier(parties: number, guardMs = 5_000) {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived++;
    if (arrived === parties) release();
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`barrier: only ${arrived} of ${parties} arrived`)), guardMs);
    });
    try {
      await Promise.race([all, guard]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A promise with its resolve function, for tests that hold a task until they let it go. */
export function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A registry whose functions count their calls per function id. */
export function countingRegistry() {
  const registry = new FunctionRegistry();
  const calls = new Map<string, number>();
  const count = (id: string) => calls.set(id, (calls.get(id) ?? 0) + 1);
  const total = () => [...calls.values()].reduce((a, b) => a + b, 0);
  return { registry, calls, count, total };
}

/** A scripted handler that answers "<prompt> -> reply". */
export function echoHandler(id = 'scripted') {
  return new ScriptedHandler({ id, reply: (request) => `${String(request.prompt)} -> reply` });
}

/** The JSON a trace becomes on disk. */
export function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A trace as raw JSON, edited in tests the way a user edits the file: by path, without types. */
// biome-ignore lint/suspicious/noExplicitAny: raw JSON is edited by path, as a user edits the file.
export type RawJson = any;

/** The trace of `graph` as raw JSON, as it is on disk. */
export function rawTrace(document: unknown): RawJson {
  return roundTrip(document);
}

/** The TaskGraphError `promise` rejects with; fails the test when it resolves or rejects with something else. */
export async function rejection(promise: Promise<unknown>): Promise<TaskGraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TaskGraphError) return error;
    throw error;
  }
  throw new Error('expected a rejection with a TaskGraphError');
}

/** The TaskGraphError `fn` throws; fails the test when it returns or throws something else. */
export function thrown(fn: () => unknown): TaskGraphError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TaskGraphError) return error;
    throw error;
  }
  throw new Error('expected a TaskGraphError to be thrown');
}

/** The code of the TaskGraphError `fn` throws. */
export function codeOf(fn: () => unknown): string {
  return thrown(fn).code;
}
