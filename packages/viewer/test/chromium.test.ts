import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findChromium } from './chromium.js';

const saved = { PATH: process.env.PATH, CHROMIUM_PATH: process.env.CHROMIUM_PATH };

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('the Chromium of the browser tests', () => {
  it('is CHROMIUM_PATH when set, and a CHROMIUM_PATH that is no executable is an error naming it', async () => {
    process.env.CHROMIUM_PATH = process.execPath;
    expect(await findChromium()).toMatchObject({ executablePath: process.execPath, source: 'CHROMIUM_PATH' });
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    await expect(findChromium()).rejects.toThrow('/nonexistent/chromium');
  });

  it('is the one inside @sparticuz/chromium when none is installed, unpacked with its libraries and fonts', async () => {
    delete process.env.CHROMIUM_PATH;
    process.env.PATH = '';
    const chromium = await findChromium();
    expect(chromium.source).toBe('bundled');
    expect(existsSync(chromium.executablePath)).toBe(true);
    const libraries = (chromium.env.LD_LIBRARY_PATH ?? '').split(':')[0] as string;
    expect(existsSync(join(libraries, 'libnss3.so'))).toBe(true);
    expect(existsSync(chromium.env.FONTCONFIG_FILE as string)).toBe(true);
  });
});
