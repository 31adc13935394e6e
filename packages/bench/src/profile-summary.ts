/** The parts of a V8 CPU profile (`Profiler.stop`, or a `.cpuprofile` file) that a summary needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    hitCount?: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/** Self time per function (name and source line), highest first. */
export function selfTimes(profile: CpuProfile, shorten: (url: string) => string = (url) => url): SelfTime[] {
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = total === 0 ? 0 : (profile.endTime - profile.startTime) / 1000 / total;
  const byFunction = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { name, where, ms: 0, share: 0 };
    entry.ms += (node.hitCount ?? 0) * msPerHit;
    byFunction.set(key, entry);
  }
  const all = [...byFunction.values()].sort((a, b) => b.ms - a.ms);
  const sum = all.reduce((s, entry) => s + entry.ms, 0);
  for (const entry of all) entry.share = sum === 0 ? 0 : entry.ms / sum;
  return all;
}
