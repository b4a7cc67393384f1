// The web adapter's fallbacks, by hiding a global before any page script runs: without
// SharedWorker the tabs reach the leader over BroadcastChannel; without OPFS the leader keeps the
// data in memory and the store's status says so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attach, leaders, openTab, pageUrl, sameTodos, startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe('web adapter fallbacks', () => {
  it('keeps tabs without SharedWorker in sync through the leader, also after the leader tab closes', async () => {
    const storeId = uniqueStoreId('no-sw');
    const hide = ['SharedWorker'] as const;
    const a = await openTab(h, storeId, { hide });
    const b = await openTab(h, storeId, { hide });
    const c = await openTab(h, storeId, { hide });
    assert.equal(await a.page.evaluate('typeof SharedWorker'), 'undefined');
    await b.commit('b', 2);
    await sameTodos([a, b, c], 2);
    await a.page.close();
    await c.commit('c', 2);
    await c.flush();
    await sameTodos([b, c], 4);
    assert.equal(await leaders([b, c]), 1);
    assert.equal((await b.status()).storage, 'opfs');
    await Promise.all([b.page.close(), c.page.close()]);
  });

  it('falls back to BroadcastChannel when the SharedWorker switchboard fails to load', async () => {
    const storeId = uniqueStoreId('sw-broken');
    const open = async () => {
      const page = await h.context.newPage();
      // The switchboard's script is missing (a bad URL, a bundler that inlined it, a CSP).
      // (A string: tsx would wrap a class written here in a helper the page lacks.)
      await page.addInitScript(`{
        const Real = window.SharedWorker;
        Object.defineProperty(window, 'SharedWorker', { configurable: true, value: class extends Real {
          constructor(url, options) { super('/no-such-switchboard.js', options); }
        } });
      }`);
      await page.goto(pageUrl(h, storeId));
      return attach(page);
    };
    const a = await open();
    const b = await open();
    await b.commit('b', 3);
    await b.flush();
    await a.commit('a', 2);
    await sameTodos([a, b], 5);
    assert.equal(await leaders([a, b]), 1);
    const logs = await b.page.evaluate(() => (window as unknown as { __t: { logs: string[] } }).__t.logs);
    assert.ok(logs.some((l) => l.includes('The SharedWorker switchboard did not start')), `the tab said why: ${JSON.stringify(logs)}`);
    await Promise.all([a.page.close(), b.page.close()]);
  });

  it('runs an in-memory leader shared by the tabs when OPFS is missing, and says so in store.storage', async () => {
    const storeId = uniqueStoreId('no-opfs');
    const hide = ['OPFS'] as const;
    const a = await openTab(h, storeId, { hide });
    const b = await openTab(h, storeId, { hide });
    await a.commit('a', 2);
    await sameTodos([a, b], 2);
    for (const t of [a, b]) {
      const status = await t.status();
      assert.equal(status.storage, 'memory');
      assert.match(status.storageNote ?? '', /OPFS is unavailable/);
    }
    await Promise.all([a.page.close(), b.page.close()]);
  });
});
