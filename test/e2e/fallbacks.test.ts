// The web adapter's fallbacks, by hiding a global before any page script runs: without
// SharedWorker the tabs reach the leader over BroadcastChannel; without OPFS the leader keeps the
// data in memory and the store's status says so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { leaders, openTab, sameTodos, startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';

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
