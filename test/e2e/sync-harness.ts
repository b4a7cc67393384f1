/**
 * Harness for the sync e2e tests: the multi-tab harness (Vite + a first persistent profile), a
 * second persistent profile (another client with its own OPFS leader), and a real sync server on
 * an SQLite file that can be taken down and brought back on the same port.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { createSqliteEventStore } from '../../server/sqlite-event-store.ts';
import type { EventStore } from '../../server/event-store.ts';
import { startSyncServer, type SyncServer } from '../../server/sync-server.ts';
import { eventually, startHarness, type Harness } from './multi-tab-harness.ts';

export interface SyncHarness {
  readonly h: Harness;
  readonly profiles: readonly [BrowserContext, BrowserContext];
  readonly store: EventStore;
  readonly online: boolean;
  serverDown(): Promise<void>;
  serverUp(): Promise<void>;
  open(profile: 0 | 1, storeId: string): Promise<SyncTab>;
  /** Reloads the tab's page and waits for its store again. */
  reload(tab: SyncTab): Promise<SyncTab>;
  close(): Promise<void>;
}

export interface SyncTab {
  readonly page: Page;
  commit(prefix: string, n: number): Promise<void>;
  todos(): Promise<string[]>;
  logIds(): Promise<string[]>;
  /** What the tab logged, its errors and its statuses: printed when a test times out. */
  diagnose(): Promise<unknown>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const h = await startHarness();
  const profileDir = mkdtempSync(join(tmpdir(), 'ls-e2e-profile-b-'));
  const second = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'ls-e2e-sync-'));
  const store = await createSqliteEventStore({ path: join(dir, 'sync.sqlite') });
  let server: SyncServer | undefined = await startSyncServer({ store, port: 0 });
  const port = server.port;
  const self: SyncHarness = {
    h, store, profiles: [h.context, second],
    get online() { return server !== undefined; },
    async serverDown() {
      await server?.close();
      server = undefined;
    },
    async serverUp() {
      if (server === undefined) server = await startSyncServer({ store, port });
    },
    async open(profile, storeId) {
      const page = await self.profiles[profile].newPage();
      page.on('pageerror', (err) => console.error(`[page] ${err.message}`));
      await page.goto(`${h.baseUrl}/test/pages/multi-tab.html?store=${storeId}&sync=${encodeURIComponent(`ws://127.0.0.1:${port}`)}`);
      return attachSyncTab(page);
    },
    async reload(tab) {
      await tab.page.reload();
      return attachSyncTab(tab.page);
    },
    async close() {
      await second.close();
      await h.close();
      await server?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return self;
}

async function attachSyncTab(page: Page): Promise<SyncTab> {
  await page.waitForFunction('window.__t !== undefined || window.__bootError !== undefined', undefined, { timeout: 30_000 });
  const bootError = await page.evaluate('window.__bootError');
  if (bootError !== undefined) throw new Error(String(bootError));
  return {
    page,
    commit: (prefix, n) => page.evaluate(`window.__t.commit(${JSON.stringify(prefix)}, ${n})`) as Promise<void>,
    todos: () => page.evaluate('[...window.__t.todos()]') as Promise<string[]>,
    logIds: () => page.evaluate('window.__t.eventlogIds()') as Promise<string[]>,
    diagnose: () => page.evaluate('({ logs: window.__t.logs.slice(-20), errors: [...window.__t.errors], storage: { ...window.__t.status() }, sync: window.__t.syncStatus(), todos: window.__t.todos().length })'),
  };
}

/** Waits until every tab shows `expected` todos and every leader the same eventlog; returns it. */
export async function converged(tabs: readonly SyncTab[], expected: number, why = ''): Promise<string[]> {
  let last: string[][] = [];
  try {
    await eventually(async () => {
      last = await Promise.all(tabs.map((t) => t.todos()));
      return last.every((l) => l.length === expected);
    }, () => `every tab sees ${expected} todos (now ${last.map((l) => l.length).join(', ')})${why}`, 60_000);
  } catch (err) {
    for (const [i, t] of tabs.entries()) console.error(`# tab ${i}: ${JSON.stringify(await t.diagnose().catch((e: unknown) => String(e)))}`);
    throw err;
  }
  let logs: string[][] = [];
  await eventually(async () => {
    logs = await Promise.all(tabs.map((t) => t.logIds()));
    return logs.every((l) => JSON.stringify(l) === JSON.stringify(logs[0]));
  }, `every leader holds the same eventlog${why}`, 30_000);
  for (const l of last) assert.deepEqual(l, last[0], `tabs disagree on the todos${why}`);
  return logs[0]!;
}
