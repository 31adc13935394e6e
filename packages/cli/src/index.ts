export type { CliIO } from './cli-io.js';
export { EXIT } from './exit-codes.js';
export { main } from './main.js';
export type { ProgramModule } from './program-module.js';
export type { RunSummary } from './run-monitor.js';
export { ADDRESS_SEPARATOR, findAddress, formatAddress } from './task-address.js';
