import { cpus, loadavg, totalmem } from 'node:os';

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

/** The 1-minute load average: above the core count, other processes were competing with the bench. */
export function loadAverage(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}
