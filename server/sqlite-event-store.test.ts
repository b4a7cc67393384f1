/**
 * SQLite event store: the shared EventStore contract on temp files, plus what only this store has
 * (the file's journal mode, in-memory use, a clear error for a path it cannot open).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore } from './event-store.ts';
import { runEventStoreContract } from './event-store-contract.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'ls-sqlite-store-'));

runEventStoreContract('sqlite', async () => {
  const dir = tempDir();
  const path = join(dir, 'nested', 'sync.sqlite');
  let current: EventStore = await createSqliteEventStore({ path });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await createSqliteEventStore({ path });
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite event store', () => {
  it('puts its file in WAL mode', async () => {
    const dir = tempDir();
    const path = join(dir, 'sync.sqlite');
    const store = await createSqliteEventStore({ path });
    const peek = new Database(path, { readonly: true });
    try {
      assert.equal(peek.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      peek.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works in memory for throwaway use', async () => {
    const store = await createSqliteEventStore({ path: ':memory:' });
    assert.equal(await store.head('s'), 0);
    await store.close();
  });

  it('fails with LS_STORAGE_ERROR for a file that is not a database', async () => {
    const dir = tempDir();
    const path = join(dir, 'garbage.sqlite');
    writeFileSync(path, 'this is not an SQLite file, just text that is long enough to have a header'.repeat(20));
    await assert.rejects(createSqliteEventStore({ path }), { code: 'LS_STORAGE_ERROR' });
    rmSync(dir, { recursive: true, force: true });
  });
});
