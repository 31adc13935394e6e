/** Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage error, 130 a run cancelled by Ctrl-C. */
export const EXIT = { ok: 0, error: 1, usage: 2, cancelled: 130 } as const;
