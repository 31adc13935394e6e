import { runCase } from './case-runner.js';
import { peakRssMb } from './measure.js';

// The process that runs one case (see run-case-process.ts): `case-child.ts <case id> <trace folder> <runs>`.
// It prints one `PROGRESS {json}` line after each stage at scale and one `RESULT {json}` line at the end.

const [id = '', dir = '.', runs = '5'] = process.argv.slice(2);
const idleRssMb = peakRssMb();
const print = (kind: string, body: object) => process.stdout.write(`${kind} ${JSON.stringify(body)}\n`);

try {
  const data = await runCase(id, {
    dir,
    runs: Number(runs),
    onStage: (stage, sample, rss) => print('PROGRESS', { stage, data: sample, peakRssMb: rss }),
  });
  print('RESULT', { ok: true, data, peakRssMb: peakRssMb(), idleRssMb });
} catch (error) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  print('RESULT', { ok: false, error: message, peakRssMb: peakRssMb(), idleRssMb });
  process.exitCode = 1;
}
