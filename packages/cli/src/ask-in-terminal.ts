import input from '@inquirer/input';
import type { HumanQuestion } from '@taskgraph/core';
import { answerFromText, answerProblem, questionText } from './answer-text.js';
import type { ProgressView } from './progress-view.js';
import { formatAddress } from './task-address.js';

/**
 * The `answer` callback of a run on a terminal: each question of a human task is asked in place, one at a
 * time, with the live display paused. A typed answer that reads as JSON is that JSON, else its text; one
 * that fails the task's schema is refused and asked again. Ctrl-C at the prompt cancels the run (`cancel`).
 */
export function askInTerminal(view: () => ProgressView | undefined, cancel: () => void) {
  let turn: Promise<unknown> = Promise.resolve();
  const ask = async (question: HumanQuestion): Promise<unknown> => {
    view()?.pause();
    try {
      const text = await input(
        {
          message: `${formatAddress(question.taskPath)}: ${questionText(question.question)}`,
          required: true,
          validate: (value) => answerProblem(answerFromText(value), question.schema) ?? true,
        },
        { output: process.stderr },
      );
      return answerFromText(text);
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') {
        cancel();
        return undefined;
      }
      throw error;
    } finally {
      view()?.resume();
    }
  };
  return (question: HumanQuestion): Promise<unknown> => {
    const asked = turn.then(() => ask(question));
    turn = asked.catch(() => undefined);
    return asked;
  };
}
