// Two browser profiles (two clients, each with its own OPFS leader) syncing through a real sync
// server: both online, both offline at once, and the server gone and back mid-sync. At the end
// every tab of both profiles holds the identical eventlog and state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, uniqueStoreId } from './multi-tab-harness.ts';
import { converged, startSyncHarness, type SyncHarness } from './sync-harness.ts';

let s: SyncHarness;
before(async () => { s = await startSyncHarness(); });
after(async () => { await s.close(); });

describe('sync across two browser profiles', () => {
  it('converges both profiles, every tab, after commits online, offline on both sides, and a server restart', async () => {
    const storeId = uniqueStoreId('sync');
    const a1 = await s.open(0, storeId);
    const a2 = await s.open(0, storeId);
    const b1 = await s.open(1, storeId);
    await a1.commit('a', 3);
    await b1.commit('b', 2);
    await converged([a1, a2, b1], 5);

    await s.serverDown(); // both clients offline
    await a2.commit('offA', 4);
    await b1.commit('offB', 3);
    await eventually(async () => (await a1.page.evaluate('window.__t.syncStatus().online')) === false, 'a knows it is offline');
    await s.serverUp(); // back: both reconnect by themselves, pull, rebase, push
    const log = await converged([a1, a2, b1], 12);
    assert.equal(new Set(log).size, 12);
    // The client that pushed second rebased; its tabs followed by the leader's changeset, not an image.
    const rebases = await Promise.all([a1, a2, b1].map((t) => t.page.evaluate('window.__t.rebases()') as Promise<{ byChanges: number; byImage: number }>));
    assert.ok(rebases.some((r) => r.byChanges > 0), `no tab followed a rebase by changes: ${JSON.stringify(rebases)}`);
    assert.deepEqual(rebases.map((r) => r.byImage), [0, 0, 0]);

    await a1.commit('mid', 5);
    await s.serverDown(); // gone mid-sync
    await s.serverUp();
    await b1.commit('late', 2);
    const final = await converged([a1, a2, b1], 19);
    assert.equal(new Set(final).size, 19);
    assert.equal(await s.store.head(storeId), 19);
    await Promise.all([a1, a2, b1].map((t) => t.page.close()));
  });
});
