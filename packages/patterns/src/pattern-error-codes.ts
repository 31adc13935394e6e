/** The codes of @taskgraph/patterns' own errors (beside core's). */
export const PATTERN_ERROR_CODES = [
  'UNKNOWN_STATE_KEY',
  'INFINITE_LOOP',
  'INVALID_PLANNER_STATE',
  'UNKNOWN_CONVERSATION',
  'UNKNOWN_PLANNER_HISTORY',
] as const;
export type PatternErrorCode = (typeof PATTERN_ERROR_CODES)[number];
