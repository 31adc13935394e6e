import type { TaskStatus } from '@taskgraph/core';

/** A sign for each status, shown beside its colour so that status never rests on colour alone. */
export const STATUS_ICON: Record<TaskStatus | 'dropped' | 'reused', string> = {
  pending: '○',
  running: '▶',
  done: '✓',
  reused: '↺',
  failed: '✗',
  skipped: '⤼',
  cancelled: '■',
  waiting: '?',
  dropped: '⌫',
};
