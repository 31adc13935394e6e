/** Task text compared for the no-repeat rule: trimmed, lower case, runs of spaces as one. */
export const normalizeTask = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');
