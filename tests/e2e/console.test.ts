import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt, launchChromium } from '../../harness/browser.js';
import {
  clientsFor,
  type StackClients,
  signUp,
  signUpAndConfirm,
  startTestStack,
} from '../../harness/localStack.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

const root = join(import.meta.dirname, '..', '..');
// CONSOLE_SCREENSHOTS=docs/images saves the page at each checked moment (see docs/console.md).
const screenshotDir = process.env.CONSOLE_SCREENSHOTS
  ? resolve(root, process.env.CONSOLE_SCREENSHOTS)
  : undefined;
const WAIT_MS = 15_000;

describe('Web console in Chromium', () => {
  let stack: LocalStack;
  let clients: StackClients;
  let browser: Browser | undefined;
  let skipReason: string | undefined;

  before(async () => {
    await ensureConsoleBuilt(root);
    // Marked rows expire in 30 days: the page shows when, and who removes them.
    stack = await startTestStack({
      deletedRows: {
        retainPersonalData: false,
        retentionDays: 30,
        timeToLiveAttribute: 'expiresAt',
      },
    });
    clients = clientsFor(stack);
    const launched = await launchChromium();
    if (typeof launched === 'string') skipReason = launched;
    else browser = launched;
    if (screenshotDir) {
      await mkdir(screenshotDir, { recursive: true });
      await seedForScreenshots(stack, clients);
    }
  });

  after(async () => {
    await browser?.close();
    clients?.destroy();
    await stack?.stop();
  });

  /** A fresh context and page on the console, or `undefined` when the test is skipped. */
  const openConsole = async (
    t: TestContext,
  ): Promise<{ page: Page; context: BrowserContext } | undefined> => {
    if (!browser) {
      t.skip(`browser tests skipped: ${skipReason}`);
      return undefined;
    }
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(stack.consoleUrl);
    await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: WAIT_MS });
    // Set on the window: still there only if the page was never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    return { page, context };
  };

  // One stack per run and one name per test: plain addresses, as in the screenshots.
  const emailFor = (name: string): string => `${name}@example.com`;

  const pairRow = (page: Page, email: string, status?: string) =>
    page.locator(`tr[data-email="${email}"]${status ? `[data-status="${status}"]` : ''}`);

  const notReloaded = (page: Page): Promise<boolean> =>
    page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded === true);

  const screenshot = async (page: Page, name: string): Promise<void> => {
    if (!screenshotDir) return;
    await page.waitForTimeout(300); // let the last poll paint
    await page.screenshot({ path: join(screenshotDir, name) });
  };

  it('signs a user up through the page and shows the pair in sync', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('ada');

    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Sign up and confirm' }).click();

    await page
      .locator('[data-outcome="success"]', { hasText: `Signed up and confirmed ${email}` })
      .waitFor({ timeout: WAIT_MS });
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });
    assert.match((await pairRow(page, email).textContent()) ?? '', /in sync/);
    // The trigger's invocation is listed, by username, without the e-mail address.
    const activity = page.locator('.activity tr[data-source="PostConfirmation_ConfirmSignUp"]');
    await activity.first().waitFor({ timeout: WAIT_MS });
    assert.equal(await activity.first().getAttribute('data-outcome'), 'created');
    assert.doesNotMatch((await page.locator('.activity').textContent()) ?? '', /@example\.com/);
    await screenshot(page, 'console-signed-up.png');
  });

  it('shows "row missing" without a reload when the row is deleted through the SDK', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('grace');
    const sub = await signUpAndConfirm(stack, clients, email);
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });

    await clients.dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { username: sub } }),
    );

    await pairRow(page, email, 'row-missing').waitFor({ timeout: WAIT_MS });
    assert.match((await pairRow(page, email).textContent()) ?? '', /row missing[\s\S]*no row/);
    assert.equal(await notReloaded(page), true, 'the page must update without a reload');
    await screenshot(page, 'console-row-missing.png');
  });

  it('shows a deleted user’s erased row with its expiry, which DynamoDB and not the local stack acts on', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const sub = await signUpAndConfirm(stack, clients, emailFor('hedy'));

    await clients.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: sub }),
    );

    const row = page.locator(`tr[data-key="${sub}"][data-status="row-marked-deleted"]`);
    await row.waitFor({ timeout: WAIT_MS });
    const text = (await row.textContent()) ?? '';
    assert.match(text, /\(personal data erased\)/);
    assert.match(
      text,
      /expires \d{4}-\d{2}-\d{2} [\d:]+: DynamoDB removes it, not the local stack/,
    );
    assert.doesNotMatch(text, /hedy@example\.com/);
  });

  it('runs reconcile from the page: a dry run changes nothing, a run brings the row back', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('alan');
    const sub = await signUpAndConfirm(stack, clients, email);
    await clients.dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { username: sub } }),
    );
    await pairRow(page, email, 'row-missing').waitFor({ timeout: WAIT_MS });

    await page.getByRole('button', { name: 'Dry run' }).click();
    await page
      .locator('.summary', { hasText: /Dry run \d+ did not converge/ })
      .waitFor({ timeout: WAIT_MS });
    assert.match((await page.locator('.summary').textContent()) ?? '', /Nothing was written/);
    assert.equal(await pairRow(page, email).getAttribute('data-status'), 'row-missing');

    await page.getByRole('button', { name: 'Reconcile now' }).click();
    await page.locator('.summary', { hasText: /Run \d+ converged/ }).waitFor({ timeout: WAIT_MS });
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });
    const { Item } = await clients.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: { username: sub }, ConsistentRead: true }),
    );
    assert.equal(Item?.source, 'reconcile');
    assert.equal(await notReloaded(page), true);
    // The run's summary sits with its outcome, not in the User column.
    const run = page.locator('.activity tbody tr[data-source^="reconcile"]').first();
    await run.waitFor({ timeout: WAIT_MS });
    assert.equal(((await run.locator('td').nth(2).textContent()) ?? '').trim(), '');
    assert.notEqual(((await run.locator('td').nth(3).textContent()) ?? '').trim(), '');
    assert.ok(await run.locator('td').nth(3).locator('.activity-summary').count());
    // The grace-period box says what it removes.
    await page
      .getByLabel(/no 10-minute grace period for orphaned rows/)
      .waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'console-reconciled.png');
  });

  it('keeps the column widths of both tables when the rows change', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const first = emailFor('tony');
    await signUpAndConfirm(stack, clients, first);
    await pairRow(page, first, 'in-sync').waitFor({ timeout: WAIT_MS });
    const widths = async (): Promise<number[][]> => {
      const tables: number[][] = [];
      for (const table of ['.pairs', '.activity']) {
        const cells: number[] = [];
        for (const th of await page.locator(`${table} thead th`).all()) {
          cells.push(Math.round((await th.boundingBox())?.width ?? -1));
        }
        tables.push(cells);
      }
      return tables;
    };
    const before = await widths();
    const long = emailFor(`a-very-long-address-that-wraps-${'x'.repeat(60)}`);
    await signUpAndConfirm(stack, clients, long);
    await pairRow(page, long, 'in-sync').waitFor({ timeout: WAIT_MS });
    await page.waitForTimeout(1600); // one more poll of the activity
    assert.deepEqual(await widths(), before);
  });

  it('works from the keyboard: counts filter, details open with Enter and close with Escape', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('barbara-keys');
    await signUpAndConfirm(stack, clients, email);
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });

    const inSync = page.locator('button[data-count="in-sync"]');
    await inSync.focus();
    await page.keyboard.press('Enter');
    assert.equal(await inSync.getAttribute('aria-pressed'), 'true');
    await page.locator('tr[data-status]:not([data-status="in-sync"])').first().waitFor({
      state: 'detached',
      timeout: WAIT_MS,
    });

    const details = page.getByRole('button', { name: `Details and actions for ${email}` });
    await details.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: WAIT_MS });
    assert.equal(
      await page.evaluate('document.activeElement?.closest("dialog") !== null'),
      true,
      'focus moves into the dialog',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.equal(
      await page.evaluate('document.activeElement?.getAttribute("aria-label") ?? ""'),
      `Details and actions for ${email}`,
      'focus returns to the button that opened the dialog',
    );
  });

  it('changes an attribute from the page and shows the row following it', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('edsger');
    const changed = emailFor('edsger-new');
    const sub = await signUpAndConfirm(stack, clients, email);
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });

    await page.getByRole('button', { name: `Details and actions for ${email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Attribute').fill('email');
    await dialog.getByLabel('New value').fill(changed);
    await dialog.getByRole('button', { name: 'Save attribute' }).click();
    await dialog
      .locator('[data-outcome="success"]', { hasText: `Set email of ${sub}` })
      .waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'console-attribute-dialog.png');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The local stack's change signals bring the row in line: user and row show the new address.
    const row = page.locator(`tr[data-key="${sub}"][data-status="in-sync"]`);
    await row.waitFor({ timeout: WAIT_MS });
    const text = (await row.textContent()) ?? '';
    assert.equal(text.split(changed).length - 1, 2, 'the user and the row show the new address');
    assert.ok(!text.includes(email), 'the old address is gone from the row');
    await screenshot(page, 'console-attribute-changed.png');
  });

  it("creates a group, adds the user to it and removes it from the page, and shows the user's groups", async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('margaret');
    const sub = await signUpAndConfirm(stack, clients, email);
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });
    const userGroups = pairRow(page, email).locator('[data-groups="user"]');
    assert.equal(await userGroups.textContent(), 'groups: no group');

    await page.getByRole('button', { name: `Details and actions for ${email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Group', { exact: true }).fill('operators');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog
      .locator('[data-outcome="success"]', { hasText: 'Created group "operators"' })
      .waitFor({ timeout: WAIT_MS });
    await dialog.getByRole('button', { name: 'Add to group' }).click();
    await dialog
      .locator('[data-outcome="success"]', { hasText: `Added ${sub} to group "operators"` })
      .waitFor({ timeout: WAIT_MS });
    await pairRow(page, email)
      .locator('[data-groups="user"]', { hasText: 'groups: operators' })
      .waitFor({ timeout: WAIT_MS });

    await dialog.getByRole('button', { name: 'Remove from group operators' }).click();
    await dialog.getByText('In no group.').waitFor({ timeout: WAIT_MS });
    await dialog.getByRole('button', { name: 'Close' }).click();
    assert.equal(await userGroups.textContent(), 'groups: no group');
    const added = page.locator('.activity tr[data-source="console_AdminAddUserToGroup"]');
    await added.first().waitFor({ timeout: WAIT_MS });
    assert.equal(await added.first().getAttribute('data-outcome'), 'added-to-group');
  });

  it('deletes a row from the page only on a second click', async (t) => {
    const opened = await openConsole(t);
    if (!opened) return;
    const { page } = opened;
    const email = emailFor('barbara-l');
    const sub = await signUpAndConfirm(stack, clients, email);
    await pairRow(page, email, 'in-sync').waitFor({ timeout: WAIT_MS });

    await page.getByRole('button', { name: `Details and actions for ${email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete row' }).click();
    const confirm = dialog.getByRole('button', { name: 'Click again to delete the row' });
    await confirm.waitFor({ timeout: WAIT_MS });
    const kept = await clients.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: { username: sub }, ConsistentRead: true }),
    );
    assert.ok(kept.Item, 'the first click deletes nothing');

    await confirm.click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await pairRow(page, email, 'row-missing').waitFor({ timeout: WAIT_MS });
  });
});

/** For the screenshots only: a user waiting for confirmation and rows of users who are gone. */
async function seedForScreenshots(stack: LocalStack, clients: StackClients): Promise<void> {
  await signUp(stack, clients, 'barbara@example.com');
  const gone = (key: string, email: string, extra: Record<string, unknown> = {}) =>
    clients.dynamo.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          username: key,
          sub: key,
          userPoolId: stack.userPoolId,
          source: 'PostConfirmation_ConfirmSignUp',
          createdAt: '2026-01-05T09:30:00.000Z',
          attributes: { sub: key, email },
          email,
          ...extra,
        },
      }),
    );
  await gone('0b7e4f52-91c3-4d7a-b8a1-5f0c2d9e6a13', 'claude@example.com');
  await gone('7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', 'niklaus@example.com', {
    deletedAt: '2026-01-09T02:00:00.000Z',
  });
}
