import { join } from 'node:path';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ensureConsoleBuilt, launchChromium } from '../harness/browser.js';
import { startBenchStack } from './benchStack.js';
import { type Summary, summarize } from './stats.js';

/** How long the console page takes to show the pool, in a fresh browser context each time. */
export type ConsoleLoad =
  | {
      /** Users in the pool (each shown as a row of the page). */
      readonly users: number;
      /** `goto` → every user's row on the page: the whole load, data included. */
      readonly shown: Summary;
      /** `goto` → the `load` event (HTML, script and styles). */
      readonly loaded: Summary;
    }
  | { readonly skipped: string };

/** A page that has not shown every user after this long fails the run. */
const GIVE_UP_MS = 15_000;

/**
 * Starts the local stack in process (in memory, free ports), makes `users`
 * users with AdminCreateUser, and loads the console `runs` times in headless
 * Chromium, each time in a new context (an empty cache, as a first visit),
 * timing from the navigation to the moment every user's row is on the page.
 *
 * @returns the figures, or why the section was skipped (no Chromium)
 */
export async function measureConsoleLoad(options: {
  readonly users: number;
  readonly runs: number;
  readonly log: (line: string) => void;
}): Promise<ConsoleLoad> {
  await ensureConsoleBuilt(join(import.meta.dirname, '..'));
  const browser = await launchChromium();
  if (typeof browser === 'string') return { skipped: browser };
  const { stack, cognito, close } = await startBenchStack();
  try {
    for (let i = 0; i < options.users; i++) {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: `console-${i}@example.com`,
          MessageAction: 'SUPPRESS',
        }),
      );
    }
    options.log(`console: ${options.users} users; ${options.runs} loads in fresh contexts…`);
    const shown: number[] = [];
    const loaded: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(stack.consoleUrl, { waitUntil: 'load' });
        loaded.push(performance.now() - started);
        // The last of the users' rows (rows appear together, from one snapshot).
        await page
          .locator('tr[data-email]')
          .nth(options.users - 1)
          .waitFor({ timeout: GIVE_UP_MS });
        shown.push(performance.now() - started);
      } finally {
        await context.close();
      }
    }
    return { users: options.users, shown: summarize(shown), loaded: summarize(loaded) };
  } finally {
    await browser.close();
    await close();
  }
}
