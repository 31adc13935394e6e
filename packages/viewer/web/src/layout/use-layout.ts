import { useEffect, useState } from 'react';
import type { LayoutLevel, LayoutResult } from './layout-types.js';
import type { LayoutReply } from './layout-worker.js';

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<
  number,
  { resolve: (result: LayoutResult) => void; reject: (error: Error) => void }
>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<LayoutReply>) => {
    waiting.get(event.data.id)?.resolve(event.data.result);
    waiting.delete(event.data.id);
    // After the browser has drawn the layout.
    requestAnimationFrame(() => setTimeout(settleFirst, 0));
  };
  worker.onerror = (event) => {
    settleFirst();
    for (const { reject } of waiting.values()) reject(new Error(`layout failed: ${event.message}`));
    waiting.clear();
  };
  return worker;
}

let settleFirst: () => void = () => undefined;
/**
 * Settles once the first layout is drawn (or failed): the page asks the server for the replay plan only
 * then, so that planning a large trace does not compete with drawing it.
 */
export const firstLayout = new Promise<void>((resolve) => {
  settleFirst = resolve;
});

/** Starts the layout worker before there is anything to lay out, so that it is ready when the trace is. */
export function warmUpLayout(): void {
  layoutWorker();
}

function computeLayout(level: LayoutLevel): Promise<LayoutResult> {
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    waiting.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, level });
  });
}

export interface LayoutState {
  /** The layout of `level`, or the last one while a new one is computed. */
  layout: LayoutResult | undefined;
  /** The level the layout belongs to. */
  level: LayoutLevel | undefined;
  pending: boolean;
  error: string | undefined;
}

/** Lays out `level` in a worker; keeps showing the previous layout until the new one is ready. */
export function useLayout(level: LayoutLevel | undefined): LayoutState {
  const [state, setState] = useState<LayoutState>({
    layout: undefined,
    level: undefined,
    pending: false,
    error: undefined,
  });
  useEffect(() => {
    if (!level) return;
    let current = true;
    setState((previous) => ({ ...previous, pending: true }));
    computeLayout(level).then(
      (layout) => {
        if (current) setState({ layout, level, pending: false, error: undefined });
      },
      (error: Error) => {
        if (current) setState((previous) => ({ ...previous, pending: false, error: error.message }));
      },
    );
    return () => {
      current = false;
    };
  }, [level]);
  return state;
}
