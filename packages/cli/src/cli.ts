#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Let stdout and stderr drain before exiting: handlers may hold sockets open that would delay the exit.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
