import { useEffect, useRef } from 'react';
import type { TaskIndex } from '../../src/view-model/task-index.js';
import type { NavKey } from './model/keyboard-nav.js';
import { NAV_KEYS, navigate } from './model/keyboard-nav.js';

interface KeyboardNavOptions {
  index: TaskIndex | undefined;
  selected: string | undefined;
  /** Selects a task and brings it into view. */
  onGo(key: string): void;
  onDeselect(): void;
  /** Enter on a GraphTask: opens or closes its group. */
  onToggleGroup(key: string): void;
}

/**
 * The page's keys, anywhere but in a text field: arrows move between tasks (up to a dependency, down to a
 * dependent, left and right in reading order), Home and End, Enter opens or closes a group, Escape
 * deselects, and `/` goes to the search box.
 */
export function useKeyboardNav(options: KeyboardNavOptions): void {
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const { index, selected, onGo, onDeselect, onToggleGroup } = latest.current;
      if (!index) return;
      if (event.key === '/') {
        event.preventDefault();
        document.querySelector<HTMLInputElement>('input[aria-label="Search task by id"]')?.focus();
      } else if (event.key === 'Escape') {
        onDeselect();
      } else if (event.key === 'Enter' && selected !== undefined) {
        if (index.tasks.get(selected)?.record.kind === 'graph') onToggleGroup(selected);
      } else if (NAV_KEYS.has(event.key)) {
        event.preventDefault();
        const next = navigate(index, selected, event.key as NavKey);
        if (next !== undefined) onGo(next);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
