import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from './invalid-argument.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The files of a new project, copied as they are (`gitignore` becomes `.gitignore`: npm drops dotfiles). */
const TEMPLATE = join(PACKAGE_ROOT, 'templates', 'project');

/** What `initProject` wrote. */
export interface InitializedProject {
  dir: string;
  /** Paths written, relative to `dir`. */
  files: string[];
}

/**
 * Writes a new taskgraph project into `dir` (created if missing): package.json, a program module of two
 * LLM tasks and a function that runs offline, its test, a tsconfig and a README. Its dependencies are the
 * taskgraph packages of this CLI's version. Refuses to overwrite any file already there.
 */
export async function initProject(target: string, api: string): Promise<InitializedProject> {
  const dir = resolve(target);
  const sources = await listTemplate(TEMPLATE);
  const files = ['package.json', ...sources.map(destinationOf)];
  const taken = files.filter((file) => existsSync(join(dir, file)));
  if (taken.length > 0) {
    throw invalidArgument(
      `${api}: ${dir} already has ${taken.map((file) => `"${file}"`).join(', ')}. Give an empty or new folder (taskgraph init <dir>).`,
    );
  }
  await mkdir(dir, { recursive: true });
  for (const source of sources) {
    const destination = join(dir, destinationOf(source));
    await mkdir(dirname(destination), { recursive: true });
    await copyFile(join(TEMPLATE, source), destination);
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(await packageJson(dir), null, 2)}\n`);
  return { dir, files };
}

async function packageJson(dir: string): Promise<Record<string, unknown>> {
  const cli = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const taskgraph = `^${cli.version}`;
  return {
    name: packageName(basename(dir)),
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      start: 'taskgraph run src/program.ts --trace trace.json',
      show: 'taskgraph show trace.json',
      view: 'taskgraph view trace.json --registry src/program.ts',
      test: 'node --import tsx --test test/program.test.ts',
      typecheck: 'tsc -p tsconfig.json',
    },
    dependencies: { '@taskgraph/core': taskgraph, '@taskgraph/openai': taskgraph },
    devDependencies: {
      '@taskgraph/cli': taskgraph,
      '@types/node': '^20',
      tsx: cli.dependencies.tsx ?? '^4',
      typescript: '~5.9.3',
    },
  };
}

/** A valid npm package name from a folder name. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'taskgraph-program';
}

function destinationOf(source: string): string {
  return source === 'gitignore' ? '.gitignore' : source;
}

/** Files under `root`, relative to it with `/` separators, sorted. */
async function listTemplate(root: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listTemplate(root, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}
