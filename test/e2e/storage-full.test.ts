// The OPFS quota running out mid-commit, in real Chromium: the DevTools protocol lowers the
// site's quota (Storage.overrideQuotaForOrigin) to a little above what it uses, and the test
// commits until the leader's write fails. The browser then refuses the leader's OPFS writes
// (QuotaExceededError), SQLite reports "disk full" and rolls back. The committing tab must hear
// LS_STORAGE_FULL, hold exactly what the leader stored (the refused commits undone), and once
// space is back, commit again; a reload shows the same data, state and eventlog agreeing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTab, sameTodos, startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const logIds = (page: import('playwright').Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __t: { eventlogIds(): Promise<string[]> } }).__t.eventlogIds());

describe('OPFS quota exhausted mid-commit', () => {
  it('refuses the commits that do not fit with LS_STORAGE_FULL, keeps everything stored before, and works again once space is back', async () => {
    const storeId = uniqueStoreId('quota');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    await a.commit('before', 20);
    await a.flush();
    const origin = new URL(h.baseUrl).origin;
    const cdp = await h.context.newCDPSession(a.page);
    const usage = await a.page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 512 * 1024 });
    let errors: string[] = [];
    let rounds = 0;
    try {
      // 100 todos of ~2 kB a round: the quota runs out within a few rounds.
      for (; rounds < 60 && errors.length === 0; rounds++) {
        await a.page.evaluate(`(() => { for (let i = 0; i < 100; i++) window.__t.commitText('full-${rounds}', 'x'.repeat(2000)); })()`);
        await a.page.evaluate('window.__t.flush()').catch(() => undefined);
        errors = await a.errors();
      }
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    }
    console.log(`# quota ran out in round ${rounds}; errors: ${errors.length}`);
    assert.ok(errors.length > 0, `the quota never ran out in ${rounds} rounds`);
    assert.ok(errors.every((e) => e.startsWith('LS_STORAGE_FULL: ')), `only storage-full errors: ${errors.join(' | ')}`);
    assert.equal(errors.length, 1, 'one error for the one refused write (a batch of 100 commits)');
    // The committing tab undid what the leader refused: both tabs show as many todos as it stored.
    const stored = await logIds(a.page); // event ids: one todoCreated each
    assert.equal(new Set(stored).size, stored.length);
    await sameTodos([a, b], stored.length);
    assert.ok(stored.length >= 20 && stored.length < 20 + rounds * 100, `some commits were refused (${stored.length} stored)`);
    // Space is back: commits go through again, from either tab.
    await a.commit('after', 5);
    await b.commit('after-b', 5);
    await Promise.all([a.flush(), b.flush()]);
    assert.deepEqual(await a.errors(), errors, 'no new error');
    const total = stored.length + 10;
    const todos = await sameTodos([a, b], total);
    // A reload boots from OPFS: the same data, and the eventlog agrees with the state.
    await Promise.all([a.page.close(), b.page.close()]);
    const c = await openTab(h, storeId);
    assert.deepEqual(await c.todos(), todos);
    const log = await logIds(c.page);
    assert.equal(log.length, total);
    assert.equal(new Set(log).size, total);
    await c.page.close();
  });
});
