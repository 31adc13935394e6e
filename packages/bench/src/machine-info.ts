import { cpus, totalmem } from 'node:os';

/** The machine a bench ran on, for the head of RESULTS.md. */
export function machineInfo(): Record<string, string> {
  const cores = cpus();
  return {
    CPU: cores[0]?.model.trim() ?? 'unknown',
    cores: String(cores.length),
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    Node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
