// What the leader keeps in OPFS, in real Chromium (persistent profile): a state file that is not
// SQLite is rebuilt from the eventlog, the debug exports are standalone SQLite files, and
// hardReset deletes the store's data.
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

describe('persistence of the web adapter', () => {
  it('rebuilds the state from the eventlog when the state file is not a SQLite file', async () => {
    const storeId = uniqueStoreId('corrupt');
    const a = await openTab(h, storeId);
    await a.commit('kept', 3);
    await a.flush();
    await a.page.close();
    // overwrite state.db, with no tab of the store open, from a page of the same origin
    const page = await h.context.newPage();
    await page.goto(`${h.baseUrl}/package.json`);
    const overwritten = await page.evaluate(async (dir) => {
      const root = await navigator.storage.getDirectory();
      const file = await (await root.getDirectoryHandle(dir)).getFileHandle('state.db');
      for (let attempt = 0; ; attempt++) {
        try {
          const w = await file.createWritable();
          await w.write(new TextEncoder().encode('this is not a database at all, not even close'));
          await w.close();
          return (await file.getFile()).size;
        } catch (err) {
          if (attempt > 50) throw err; // the closed tab's worker may hold the file a moment longer
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }, `ls-elements-${storeId}`);
    assert.ok(overwritten > 0);
    await page.close();
    const b = await openTab(h, storeId);
    assert.equal((await b.todos()).length, 3);
    await b.page.close();
  });

  it('exports the leader\'s state and eventlog as SQLite files that open on their own', async () => {
    const storeId = uniqueStoreId('export');
    const a = await openTab(h, storeId);
    const b = await openTab(h, storeId);
    await b.commit('x', 4);
    await b.flush();
    // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
    const counts = await b.page.evaluate(`(async () => {
      const { store } = window.__t;
      const { loadSqlite } = await import('/src/sqlite/load-sqlite.ts');
      const { SqliteDatabase } = await import('/src/sqlite/sqlite-database.ts');
      const api = await loadSqlite();
      const count = (bytes, sql) => {
        const db = SqliteDatabase.openInMemory(api);
        db.deserialize(bytes);
        return Number(db.get(sql).n);
      };
      return {
        todos: count(await store._dev.downloadDb({ source: 'leader', save: false }), 'SELECT count(*) AS n FROM todos'),
        events: count(await store._dev.downloadEventlogDb({ save: false }), 'SELECT count(*) AS n FROM __ls_eventlog'),
      };
    })()`);
    assert.deepEqual(counts, { todos: 4, events: 4 });
    await Promise.all([a.page.close(), b.page.close()]);
  });

  it('deletes the store\'s data with hardReset, so the next tab starts empty', async () => {
    const storeId = uniqueStoreId('hard-reset');
    const a = await openTab(h, storeId);
    await a.commit('gone', 3);
    await a.flush();
    await a.page.evaluate('window.__t.store._dev.hardReset()');
    await a.page.close();
    const b = await openTab(h, storeId);
    assert.deepEqual(await b.todos(), []);
    await b.commit('new');
    await sameTodos([b], 1);
    await b.page.close();
  });

  it('deletes the data through another tab\'s leader when hardReset runs in a tab that does not lead', async () => {
    const storeId = uniqueStoreId('hard-reset-remote');
    const leader = await openTab(h, storeId);
    const other = await openTab(h, storeId);
    assert.ok((await leader.status()).isLeaderTab);
    await other.commit('gone', 3);
    await other.flush();
    await other.page.evaluate('window.__t.store._dev.hardReset()');
    const fresh = await openTab(h, storeId);
    assert.deepEqual(await fresh.todos(), []);
    await Promise.all([leader.page.close(), other.page.close(), fresh.page.close()]);
  });
});
