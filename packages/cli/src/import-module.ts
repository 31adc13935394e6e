import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidArgument } from './invalid-argument.js';

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;
let loaderRegistered = false;

/**
 * Imports a program module given on the command line (a path, relative to the working directory).
 * TypeScript files load through tsx, registered on first use unless a TypeScript loader already runs
 * this CLI (as under `node --import tsx`).
 */
export async function importModule(specifier: string, api: string): Promise<Record<string, unknown>> {
  const path = resolve(specifier);
  if (!existsSync(path)) {
    throw invalidArgument(`${api}: cannot find the module "${specifier}" (looked for ${path}).`);
  }
  if (TYPESCRIPT.test(path)) await registerTypeScript();
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw invalidArgument(`${api}: the module "${specifier}" failed to load (${reason}).`, { cause: error });
  }
}

async function registerTypeScript(): Promise<void> {
  // A CLI that runs from its .ts source already has a TypeScript loader; a second one would transform twice.
  if (loaderRegistered || import.meta.url.endsWith('.ts')) return;
  const { register } = await import('tsx/esm/api');
  register();
  loaderRegistered = true;
}
