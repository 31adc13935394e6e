import type { Attributes } from '@opentelemetry/api';
import { ATTR } from './attribute-names.js';

/** The attributes that name a task: id, path from the root graph, kind, and its creator when a task created it. */
export function taskAttributes(taskPath: readonly string[], kind: string, createdBy?: string): Attributes {
  const attributes: Attributes = {
    [ATTR.taskId]: taskPath[taskPath.length - 1] ?? '',
    [ATTR.taskPath]: [...taskPath],
    [ATTR.taskKind]: kind,
  };
  if (createdBy !== undefined) attributes[ATTR.taskCreatedBy] = createdBy;
  return attributes;
}
