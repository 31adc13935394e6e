import { TaskGraphError } from '@taskgraph/core';
import type { LoopMessage } from './loop-message.js';

const ENTITIES: readonly string[] = ['user', 'llm', 'agent'];

/**
 * The conversation a run continues (langroid's `restart: false`): the messages of an earlier run, given
 * the ids `h1`, `h2`… (links between them follow) so that they never clash with this run's `m<turn>`.
 * Each must be a LoopMessage as a loop's state holds it; `where` names the input in errors.
 */
export function carriedHistory(history: unknown, where: string): LoopMessage[] {
  if (!Array.isArray(history)) {
    throw invalid(`${where}: \`history\` must be an array of messages (a loop state's \`history\`)`);
  }
  const ids = new Map<string, string>();
  history.forEach((message: Partial<LoopMessage> | null, i) => {
    const ok =
      message !== null &&
      typeof message === 'object' &&
      typeof message.sender === 'string' &&
      ENTITIES.includes(message.entity as string) &&
      (message.content === null || typeof message.content === 'string');
    if (!ok) {
      throw invalid(
        `${where}: \`history[${i}]\` is not a message ({ id, sender, entity: "user" | "llm" | "agent", content })`,
      );
    }
    if (typeof message.id === 'string') ids.set(message.id, `h${i + 1}`);
  });
  return (history as LoopMessage[]).map((message, i) => {
    const carried: LoopMessage = { ...message, id: `h${i + 1}` };
    relink(carried, 'parentId', ids);
    relink(carried, 'childId', ids);
    return carried;
  });
}

function relink(message: LoopMessage, field: 'parentId' | 'childId', ids: ReadonlyMap<string, string>): void {
  const target = message[field] === undefined ? undefined : ids.get(message[field]);
  if (target === undefined) delete message[field];
  else message[field] = target;
}

function invalid(problem: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', `${problem}.`);
}
