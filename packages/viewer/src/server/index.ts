export type { Viewer, ViewerOptions } from './start-viewer.js';
export { startViewer } from './start-viewer.js';
export { ensureWebBuild, WEB_ROOT } from './web-build.js';
