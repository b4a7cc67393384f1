// Two browser profiles (two clients, each with its own OPFS leader) syncing through a real sync
// server: both online, both offline at once, and the server gone and back mid-sync. At the end
// every tab of both profiles holds the identical eventlog and state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { createSqliteEventStore } from '../../server/sqlite-event-store.ts';
import type { EventStore } from '../../server/event-store.ts';
import { startSyncServer, type SyncServer } from '../../server/sync-server.ts';
import { eventually, startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';

let h: Harness;
let second: BrowserContext;
let secondProfile: string;
let dir: string;
let store: EventStore;
let server: SyncServer | undefined;
let port = 0;

async function serverUp(): Promise<string> {
  server = await startSyncServer({ store, port });
  port = server.port;
  return server.url;
}

before(async () => {
  h = await startHarness();
  secondProfile = mkdtempSync(join(tmpdir(), 'ls-e2e-profile-b-'));
  second = await chromium.launchPersistentContext(secondProfile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
  dir = mkdtempSync(join(tmpdir(), 'ls-e2e-sync-'));
  store = await createSqliteEventStore({ path: join(dir, 'sync.sqlite') });
  await serverUp();
});
after(async () => {
  await second.close();
  await h.close();
  await server?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(secondProfile, { recursive: true, force: true });
});

interface SyncTab { readonly page: Page }

async function open(context: BrowserContext, storeId: string): Promise<SyncTab> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page] ${err.message}`));
  await page.goto(`${h.baseUrl}/test/pages/multi-tab.html?store=${storeId}&sync=${encodeURIComponent(`ws://127.0.0.1:${port}`)}`);
  await page.waitForFunction('window.__t !== undefined || window.__bootError !== undefined', undefined, { timeout: 30_000 });
  const bootError = await page.evaluate('window.__bootError');
  if (bootError !== undefined) throw new Error(String(bootError));
  return { page };
}

const commit = (t: SyncTab, prefix: string, n: number) => t.page.evaluate(`window.__t.commit(${JSON.stringify(prefix)}, ${n})`);
const todos = (t: SyncTab) => t.page.evaluate('[...window.__t.todos()]') as Promise<string[]>;
const logIds = (t: SyncTab) => t.page.evaluate('window.__t.eventlogIds()') as Promise<string[]>;

async function converged(tabs: readonly SyncTab[], expected: number): Promise<string[]> {
  let last: string[][] = [];
  await eventually(async () => {
    last = await Promise.all(tabs.map(todos));
    return last.every((l) => l.length === expected);
  }, () => `every tab sees ${expected} todos (now ${last.map((l) => l.length).join(', ')})`, 60_000);
  const logs = await Promise.all(tabs.map(logIds));
  await eventually(async () => {
    const again = await Promise.all(tabs.map(logIds));
    return again.every((l) => JSON.stringify(l) === JSON.stringify(again[0]));
  }, 'every leader holds the same eventlog', 30_000);
  for (const l of last) assert.deepEqual(l, last[0]);
  return logs[0]!;
}

describe('sync across two browser profiles', () => {
  it('converges both profiles, every tab, after commits online, offline on both sides, and a server restart', async () => {
    const storeId = uniqueStoreId('sync');
    const a1 = await open(h.context, storeId);
    const a2 = await open(h.context, storeId);
    const b1 = await open(second, storeId);
    await commit(a1, 'a', 3);
    await commit(b1, 'b', 2);
    await converged([a1, a2, b1], 5);

    await server?.close(); // both clients offline
    server = undefined;
    await commit(a2, 'offA', 4);
    await commit(b1, 'offB', 3);
    await eventually(async () => (await a1.page.evaluate('window.__t.syncStatus().online')) === false, 'a knows it is offline');
    await serverUp(); // back: both reconnect by themselves, pull, rebase, push
    const log = await converged([a1, a2, b1], 12);
    assert.equal(new Set(log).size, 12);

    await commit(a1, 'mid', 5);
    await (server as SyncServer | undefined)?.close(); // gone mid-sync
    await serverUp();
    await commit(b1, 'late', 2);
    const final = await converged([a1, a2, b1], 19);
    assert.equal(new Set(final).size, 19);
    assert.equal(await store.head(storeId), 19);
    await Promise.all([a1, a2, b1].map((t) => t.page.close()));
  });
});
