import { TaskGraphError } from '../model/errors.js';
import type { StageWork } from '../model/task-kind.js';
import type { SharedRun } from './shared-run.js';

/** What asking a person gave: an answer now, or nothing yet (the task waits). */
export type HumanOutcome = { answered: true; value: unknown } | { answered: false };

/**
 * Asks for the answer of a human task: the run's `answer` callback when there is one; then, once the
 * question's deadline has passed (or at once in an unattended run), its default answer, or ANSWER_DEADLINE.
 * Otherwise the task waits for a person.
 */
export async function askPerson(
  shared: SharedRun,
  work: Extract<StageWork, { type: 'human' }>,
): Promise<HumanOutcome> {
  const { answer, unattended } = shared.options;
  if (answer) {
    const given = await answer(work.question);
    if (given !== undefined) return { answered: true, value: given };
  }
  const expired = unattended || (work.deadline !== undefined && Date.now() >= work.deadline);
  if (!expired) return { answered: false };
  if (work.defaultAnswer !== undefined) return { answered: true, value: work.defaultAnswer };
  const taskPath = work.question.taskPath;
  throw new TaskGraphError(
    'ANSWER_DEADLINE',
    unattended
      ? `TaskGraph.run: task "${taskPath.join(' > ')}" asks a person, the run is unattended, and the task has no \`default\` answer. Give it one, or run attended.`
      : `TaskGraph.run: the question of task "${taskPath.join(' > ')}" passed its deadline without an answer, and the task has no \`default\` answer.`,
    { taskPath },
  );
}
