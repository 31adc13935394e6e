import { layoutLevel } from './layout-level.js';
import type { LayoutLevel, LayoutResult } from './layout-types.js';

export interface LayoutRequest {
  id: number;
  level: LayoutLevel;
}

export interface LayoutReply {
  id: number;
  result: LayoutResult;
}

/** Lays out off the page's main thread, so a large graph keeps the page responsive while it is placed. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(reply: LayoutReply): void;
};

scope.onmessage = (event) => {
  scope.postMessage({ id: event.data.id, result: layoutLevel(event.data.level) });
};
