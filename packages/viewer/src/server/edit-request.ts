import type { EditField } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { EditRequest } from '../api-types.js';

const FIELDS: readonly EditField[] = ['prompt', 'response', 'output', 'input', 'question', 'answer'];

/** Checks the body of POST /api/edit; throws INVALID_ARGUMENT naming the field that is wrong. */
export function parseEditRequest(body: unknown): EditRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the body must be a JSON object { task?, field, value, dryRun? }');
  }
  const { task, field, value, dryRun } = body as Record<string, unknown>;
  if (
    task !== undefined &&
    !(Array.isArray(task) && task.every((id) => typeof id === 'string' && id !== ''))
  ) {
    throw invalid(`\`task\` must be a task path, a list of ids (got ${JSON.stringify(task)})`);
  }
  if (!FIELDS.includes(field as EditField)) {
    throw invalid(`\`field\` must be one of ${FIELDS.join(', ')} (got ${JSON.stringify(field)})`);
  }
  if (!('value' in body)) throw invalid('`value` is missing: give the new value as JSON');
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw invalid('`dryRun` must be true or false');
  const request: EditRequest = { field: field as EditField, value };
  if (task !== undefined && task.length > 0) request.task = task as string[];
  if (dryRun) request.dryRun = true;
  return request;
}

function invalid(problem: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `POST /api/edit: ${problem}.`);
}
