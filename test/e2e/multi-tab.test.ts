// Multi-tab behaviour of the web adapter in real Chromium with a persistent profile (real OPFS).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attach, eventually, leaders, openTab, pageUrl, sameTodos, startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe('the web adapter across tabs', () => {
  it('shows a commit made in either of two tabs in the other tab\'s subscription', async () => {
    const storeId = uniqueStoreId('two');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    await a.commit('a');
    await sameTodos([a, b], 1);
    await b.commit('b');
    const todos = await sameTodos([a, b], 2);
    assert.deepEqual(todos.map((t) => t.split('-')[0]), ['a', 'b']);
    assert.equal(await leaders([a, b]), 1);
    assert.equal((await a.status()).storage, 'opfs');
    await Promise.all([a.page.close(), b.page.close()]);
  });

  it('shows the commits of each of four tabs in all four', async () => {
    const storeId = uniqueStoreId('four');
    const tabs = [];
    for (let i = 0; i < 4; i++) tabs.push(await openTab(h, storeId));
    await Promise.all(tabs.map((t, i) => t.commit(`t${i}`, 3)));
    const todos = await sameTodos(tabs, 12);
    assert.equal(new Set(todos).size, 12);
    assert.equal(await leaders(tabs), 1);
    await Promise.all(tabs.map((t) => t.page.close()));
  });

  it('keeps everything across a reload and after every tab was closed', async () => {
    const storeId = uniqueStoreId('reload');
    const a = await openTab(h, storeId);
    await a.commit('kept', 5);
    await a.flush();
    await a.page.reload();
    const reloaded = await attach(a.page);
    assert.equal((await reloaded.todos()).length, 5);
    await a.page.close();
    const later = await openTab(h, storeId);
    assert.equal((await later.todos()).length, 5);
    await later.page.close();
  });

  it('starts empty when the leader tab asks for resetPersistence', async () => {
    const storeId = uniqueStoreId('reset');
    const a = await openTab(h, storeId);
    await a.commit('gone', 2);
    await a.flush();
    await a.page.close();
    const b = await openTab(h, storeId, { reset: true });
    assert.deepEqual(await b.todos(), []);
    await b.page.close();
  });

  it('elects exactly one leader when four tabs boot at the same instant', async () => {
    const storeId = uniqueStoreId('simultaneous');
    const pages = await Promise.all([0, 1, 2, 3].map(() => h.context.newPage()));
    await Promise.all(pages.map((p) => p.goto(pageUrl(h, storeId))));
    const tabs = await Promise.all(pages.map((p) => attach(p)));
    assert.equal(await leaders(tabs), 1);
    const held = await pages[0]!.evaluate(async (name) => (await navigator.locks.query()).held?.filter((l) => l.name === name).length, `ls:leader:${storeId}`);
    assert.equal(held, 1);
    await Promise.all(tabs.map((t, i) => t.commit(`s${i}`, 2)));
    await sameTodos(tabs, 8);
    await Promise.all(pages.map((p) => p.close()));
  });

  it('shows a clientOnly event (a client document set) in the other tabs of this browser', async () => {
    const storeId = uniqueStoreId('client-only');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    await a.page.evaluate(`window.__t.uiSet('shared', 'typed in a')`);
    await eventually(async () => (await b.page.evaluate(`window.__t.uiGet('shared')`)) === 'typed in a', 'tab b sees the client document set in tab a');
    await b.page.reload();
    const b2 = await attach(b.page);
    assert.equal(await b2.page.evaluate(`window.__t.uiGet('shared')`), 'typed in a');
    await Promise.all([a.page.close(), b.page.close()]);
  });

  it('gives a duplicated tab its own sessionId and a reloaded tab the same one', async () => {
    const storeId = uniqueStoreId('dup');
    const a = await openTab(h, storeId);
    const first = await a.sessionId();
    const popup = h.context.waitForEvent('page');
    await a.page.evaluate(() => void window.open(location.href));
    const page = await popup;
    const b = await attach(page);
    // the copy starts with the original's sessionStorage, so it really was a duplicate
    assert.equal(await page.evaluate('window.__t.initialSessionId'), first);
    assert.notEqual(await b.sessionId(), first);
    await a.page.reload();
    assert.equal(await (await attach(a.page)).sessionId(), first);
    await eventually(async () => (await b.todos()).length === 0, 'the copy is ready');
    await Promise.all([a.page.close(), page.close()]);
  });
});
