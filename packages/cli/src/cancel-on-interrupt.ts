import { EXIT } from './exit-codes.js';

/** What a Ctrl-C does to a run, and how it says so. */
export interface InterruptOptions {
  /** Aborted on the first Ctrl-C: the run cancels its tasks and saves what finished. */
  controller: AbortController;
  /** Shows a line to the person at the terminal (above a live display). */
  note(text: string): void;
  /** Ends the process on the second Ctrl-C; `process.exit` unless a test gives another. */
  exit?: (code: number) => void;
}

/**
 * Ctrl-C (SIGINT, from a terminal or sent to the process) cancels the run: the first one aborts it (the
 * tasks in flight stop, the trace and its journal keep what finished, a later run resumes); a second one
 * exits at once with 130, the journal still on disk. Returns the function that stops listening.
 *
 * The listener stays registered until then (never `once`): libraries that restore the terminal on exit
 * (signal-exit, under log-update) kill the process on a signal that has no other listener left.
 */
export function cancelOnInterrupt({ controller, note, exit = process.exit }: InterruptOptions): () => void {
  const onInterrupt = () => {
    if (!controller.signal.aborted) {
      note(
        'Cancelling: stopping the tasks in flight and saving what finished. Ctrl-C again to exit at once.',
      );
      controller.abort();
      return;
    }
    note(
      'Exited without waiting for the tasks in flight; the journal keeps what finished: run again to resume.',
    );
    exit(EXIT.cancelled);
  };
  process.on('SIGINT', onInterrupt);
  return () => {
    process.off('SIGINT', onInterrupt);
  };
}
