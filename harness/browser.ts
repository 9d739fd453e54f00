import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Launch flags for a headless Chromium in a container (see the field notes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium, or says why it cannot.
 *
 * @returns the browser, or the reason to skip browser tests
 */
export async function launchChromium(): Promise<Browser | string> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    return `no Chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y --no-install-recommends chromium" (.ci/run does) or set CHROMIUM_PATH`;
  }
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (error) {
    return `Chromium at ${CHROMIUM_PATH} did not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** The built console, built now with Vite when missing (`npm test` builds it first). */
export async function ensureConsoleBuilt(root: string): Promise<void> {
  try {
    await access(join(root, 'dist', 'console', 'index.html'));
  } catch {
    const { build } = await import('vite');
    await build({ configFile: join(root, 'console', 'vite.config.ts'), logLevel: 'warn' });
  }
}
