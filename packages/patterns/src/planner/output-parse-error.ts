import { TaskGraphError } from '@taskgraph/core';

/** A reply that stays unusable JSON after every repair; `rawText` is the last reply as the model wrote it. */
export class OutputParseError extends TaskGraphError {
  override readonly name = 'OutputParseError';
  readonly rawText: string;

  constructor(
    message: string,
    { rawText, taskPath }: { rawText: string; taskPath?: readonly string[] | undefined },
  ) {
    super('OUTPUT_PARSE', message, taskPath ? { taskPath } : {});
    this.rawText = rawText;
  }
}
