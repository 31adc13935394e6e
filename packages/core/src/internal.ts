export { stageFingerprint } from './memo/fingerprints.js';
export { canonicalJson, hashText } from './memo/hash.js';
export { foldJournal, journalPath } from './store/journal-fold.js';
export { removeStaleTempFiles } from './store/stale-temp-files.js';
export { writeFileAtomic } from './store/write-file-atomic.js';
export { closest } from './trace/edit-trace.js';
export { applyJournal } from './trace/journal-apply.js';
export { readTaskRecord } from './trace/trace-read.js';
export { writeTask } from './trace/trace-write.js';
