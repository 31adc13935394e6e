import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Generated or installed folders: their Markdown is not the repository's. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-web', 'out', 'test-artifacts', 'api']);

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path));
    else if (entry.name.endsWith('.md')) found.push(path);
  }
  return found;
}

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '');
  });
}

/** GitHub's anchors of a Markdown file's headings. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of prose(markdown.replace(/`([^`]*)`/g, '$1'))) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

/** Every relative link of `file` that does not resolve: `file: target (why)`. */
function brokenLinks(file: string, markdown = readFileSync(file, 'utf8')): string[] {
  const broken: string[] = [];
  const where = relative(ROOT, file);
  for (const line of prose(markdown)) {
    for (const match of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] as string;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // a URL: not a file of the repository
      const [path = '', anchor] = target.split('#');
      if (path === '') {
        if (anchor && !anchors(markdown).has(anchor)) broken.push(`${where}: ${target} (no such heading)`);
        continue;
      }
      const resolved = resolve(dirname(file), decodeURIComponent(path));
      if (resolved !== ROOT && !resolved.startsWith(ROOT + sep)) {
        broken.push(`${where}: ${target} (outside the repository)`);
      } else if (!existsSync(resolved)) {
        broken.push(`${where}: ${target} (no such file)`);
      } else if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
        if (!anchors(readFileSync(resolved, 'utf8')).has(anchor))
          broken.push(`${where}: ${target} (no such heading)`);
      }
    }
  }
  return broken;
}

describe('links in the README and docs', () => {
  const files = markdownFiles(ROOT);

  it('finds the README, the docs and the packages READMEs', () => {
    const names = files.map((file) => relative(ROOT, file).split(sep).join('/'));
    expect(names).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/getting-started.md',
        'docs/providers.md',
        'packages/core/README.md',
      ]),
    );
  });

  it('every relative link resolves to a file (and heading) inside the repository', () => {
    expect(files.flatMap((file) => brokenLinks(file))).toEqual([]);
  });

  it('reports a link to a missing file, a missing heading and a file outside the repository', () => {
    const probe = join(ROOT, 'docs', 'probe.md');
    const markdown = [
      '[ok](getting-started.md#developing-offline) [web](https://example.com/x.md) [same](#probe)',
      '# Probe',
      '[a](missing.md) and [b](getting-started.md#no-such-heading) and [c](../../elsewhere/notes.md)',
      '`[code](not-a-link.md)`',
    ].join('\n');
    expect(brokenLinks(probe, markdown)).toEqual([
      'docs/probe.md: missing.md (no such file)',
      'docs/probe.md: getting-started.md#no-such-heading (no such heading)',
      'docs/probe.md: ../../elsewhere/notes.md (outside the repository)',
    ]);
  });
});
