import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayUpdate } from '../../src/api-types.js';
import type { LiveRun } from './live-run.js';
import { applyUpdates, IDLE } from './live-run.js';

const BATCH_MS = 30;

/**
 * Follows GET /api/events: the replay in progress, updated in batches (a large replay sends thousands
 * of events). Calls `onEnd` when a replay ends, after its trace is written.
 */
export function useReplayStream(onEnd: (run: LiveRun) => void): { live: LiveRun; clear(): void } {
  const [live, setLive] = useState<LiveRun>(IDLE);
  const current = useRef<LiveRun>(IDLE);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;

  const update = useCallback((next: LiveRun) => {
    current.current = next;
    setLive(next);
  }, []);

  useEffect(() => {
    const source = new EventSource('/api/events');
    let queue: ReplayUpdate[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = queue;
      queue = [];
      const next = applyUpdates(current.current, batch);
      update(next);
      if (batch.some((item) => item.type === 'replay:end')) endRef.current(next);
    };
    source.addEventListener('update', (event) => {
      queue.push(JSON.parse((event as MessageEvent<string>).data) as ReplayUpdate);
      timer ??= setTimeout(flush, BATCH_MS);
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [update]);

  const clear = useCallback(
    () => update({ ...current.current, tasks: new Map(), added: new Map() }),
    [update],
  );
  return { live, clear };
}
