/**
 * Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage error, 3 a run that waits for people
 * to answer questions (answer them and run again), 130 a run cancelled by Ctrl-C.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, waiting: 3, cancelled: 130 } as const;
