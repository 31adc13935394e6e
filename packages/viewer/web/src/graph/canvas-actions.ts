import { createContext } from 'react';

/** What a node can ask of the page (nodes get it through context, not through their data). */
export interface CanvasActions {
  toggleGroup(key: string): void;
}

export const CanvasActionsContext = createContext<CanvasActions>({ toggleGroup: () => undefined });
