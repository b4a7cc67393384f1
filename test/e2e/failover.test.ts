// Leader failover in real Chromium (persistent profile, real OPFS): the leader tab goes away while
// other tabs commit; the next tab in line takes the lock, reopens OPFS, and nothing is lost or doubled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, leaders, openTab, sameTodos, startHarness, uniqueStoreId, type Harness, type Tab } from './multi-tab-harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function leaderOf(tabs: readonly Tab[]): Promise<Tab> {
  for (const t of tabs) if ((await t.status()).isLeaderTab) return t;
  throw new Error('no tab leads');
}

describe('leader failover', () => {
  it('loses and doubles nothing when the leader tab closes in the middle of a stream of commits', async () => {
    const storeId = uniqueStoreId('midstream');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    const c = await openTab(h, storeId);
    assert.ok((await a.status()).isLeaderTab);
    await a.commit('before', 3);
    await a.flush();
    const stream = b.page.evaluate('window.__t.stream("b", 150)') as Promise<void>;
    await eventually(async () => (await c.todos()).length >= 30, 'the stream reached the other tab');
    await a.page.close();
    await stream;
    await b.flush();
    const todos = await sameTodos([b, c], 153);
    assert.equal(new Set(todos).size, 153);
    assert.equal(await leaders([b, c]), 1);
    assert.deepEqual(await b.errors(), []);
    // what the tabs saw is what is in OPFS
    await Promise.all([b.page.close(), c.page.close()]);
    const d = await openTab(h, storeId);
    assert.deepEqual(await d.todos(), todos);
    await d.page.close();
  });

  it('loses and doubles nothing when the leader tab\'s renderer crashes, taking the switchboard with it', async () => {
    const storeId = uniqueStoreId('crash');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    const c = await openTab(h, storeId);
    const stream = b.page.evaluate('window.__t.stream("b", 150)') as Promise<void>;
    await eventually(async () => (await c.todos()).length >= 30, 'the stream reached the other tab');
    const crashed = new Promise<void>((resolve) => a.page.once('crash', () => resolve()));
    const cdp = await h.context.newCDPSession(a.page);
    cdp.send('Page.crash').catch(() => {}); // the session dies with the page
    await crashed;
    await stream;
    await b.flush();
    const todos = await sameTodos([b, c], 150);
    assert.equal(new Set(todos).size, 150);
    // a tab opened after the crash reaches the new leader through a new switchboard
    const d = await openTab(h, storeId);
    await d.commit('d');
    await sameTodos([b, c, d], 151);
    await Promise.all([a.page.close(), b.page.close(), c.page.close(), d.page.close()]);
  });

  it('survives the leader tab being closed and a new tab opened, several times in a row', async () => {
    const storeId = uniqueStoreId('rapid');
    let tabs: Tab[] = [await openTab(h, storeId), await openTab(h, storeId)];
    for (let round = 0; round < 4; round++) {
      const leader = await leaderOf(tabs);
      const committer = tabs.find((t) => t !== leader)!;
      const closing = leader.page.close();
      const opening = openTab(h, storeId);
      await committer.commit(`r${round}`, 5);
      // flushed before the next round, which may close this tab as the new leader
      await committer.flush();
      await closing;
      tabs = [...tabs.filter((t) => t !== leader), await opening];
    }
    const todos = await sameTodos(tabs, 20);
    assert.equal(new Set(todos).size, 20);
    await eventually(async () => (await leaders(tabs)) === 1, 'one leader');
    await Promise.all(tabs.map((t) => t.page.close()));
  });
});
