import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceJsonSchema } from '../src/trace/trace-json-schema.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../trace.schema.json');
await writeFile(target, `${JSON.stringify(traceJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
