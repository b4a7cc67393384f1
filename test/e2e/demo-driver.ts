/**
 * Drives the TodoMVC demo pages for the e2e tests (demo.test.ts, demo-pages.test.ts) the way a
 * user does: typing into the new-todo field, reading what the list and the counter show.
 * `startDemoEnv` starts the multi-tab harness (Vite + Chromium with a persistent profile) and
 * a sync server on a free port with an in-memory SQLite log; each test opens its own store
 * (`?store=…`), so tests share them.
 */
import type { BrowserContext, Locator, Page } from 'playwright';
import { createSqliteEventStore } from '../../server/sqlite-event-store.ts';
import type { EventStore } from '../../server/event-store.ts';
import { startSyncServer, type SyncServer } from '../../server/sync-server.ts';
import { eventually, startHarness, type Harness, type HarnessOptions } from './multi-tab-harness.ts';

export interface DemoEnv {
  readonly h: Harness;
  readonly sync: SyncServer;
  close(): Promise<void>;
}

export async function startDemoEnv(options: HarnessOptions = {}): Promise<DemoEnv> {
  const h = await startHarness(options);
  const syncStore: EventStore = await createSqliteEventStore({ path: ':memory:' });
  const sync = await startSyncServer({ store: syncStore, log: () => {} });
  return {
    h,
    sync,
    async close() {
      await h.close();
      await sync.close();
      await syncStore.close();
    },
  };
}

/** Opens `path` (default the TodoMVC page) for `storeId` in a new tab and waits for its store. */
export async function openDemo(env: DemoEnv, storeId: string, options: { context?: BrowserContext; base?: string; path?: string } = {}): Promise<Page> {
  const page = await (options.context ?? env.h.context).newPage();
  page.on('pageerror', (err) => console.error(`[demo ${storeId}] ${err.message}`));
  const url = new URL(options.path ?? 'demo/', `${options.base ?? env.h.baseUrl}/`);
  url.searchParams.set('store', storeId);
  url.searchParams.set('sync', env.sync.url);
  await page.goto(url.href);
  await page.waitForSelector('ls-store[state=ready]', { timeout: 30_000 });
  return page;
}

export async function add(page: Page, text: string): Promise<void> {
  await page.locator('.new-todo').pressSequentially(text);
  await page.locator('.new-todo').press('Enter');
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const labels = (page: Page): Promise<string[]> => page.locator('.todo-list li label').allTextContents();
/** The list item whose label is exactly `text`. */
export const item = (page: Page, text: string): Locator => page.locator('.todo-list li', { has: page.locator('label', { hasText: new RegExp(`^${escape(text)}$`) }) });
export const countText = async (page: Page): Promise<string> => ((await page.locator('.todo-count').textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Waits until the page lists exactly `expected`, in order. */
export async function shows(page: Page, expected: readonly string[]): Promise<void> {
  let last: string[] = [];
  await eventually(async () => {
    last = await labels(page);
    return JSON.stringify(last) === JSON.stringify(expected);
  }, () => `the list shows ${JSON.stringify(expected)} (now ${JSON.stringify(last)})`);
}

/** Waits until the counter reads `expected` ("2 items left"). */
export async function counts(page: Page, expected: string): Promise<void> {
  let last = '';
  await eventually(async () => (last = await countText(page)) === expected, () => `the counter says "${expected}" (now "${last}")`);
}
