// The store's side of a leader rebase: a net changeset that fits is applied under the tab's own
// commits; one that does not (a tab whose copy drifted, e.g. an impure materializer) leaves the
// state untouched and the store asks for the leader's image (resync), ending equal to the leader.
import { expect } from 'chai';
import { createStorePromise, makeInMemoryAdapter } from '../index.ts';
import type { LsError, Store } from '../index.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { Adapter, LeaderUpdate } from './adapter.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let n = 0;

/** The in-memory adapter, with a hook to hand the store an update as if its leader had sent it. */
function injectable(): { adapter: Adapter; inject: (u: LeaderUpdate) => void; resyncs: () => number } {
  const inner = makeInMemoryAdapter();
  let deliver: ((u: LeaderUpdate) => void) | undefined;
  let resyncs = 0;
  const adapter: Adapter = async (args) => {
    const conn = await inner(args);
    return Object.assign(Object.create(conn) as typeof conn, {
      subscribe(cb: (u: LeaderUpdate) => void) {
        deliver = cb;
        return conn.subscribe(cb);
      },
      resync() {
        resyncs++;
        conn.resync();
      },
    });
  };
  return { adapter, inject: (u) => deliver!(u), resyncs: () => resyncs };
}

/** A changeset made on a scratch copy of the todos table: `write` runs there, its changes come back. */
async function changesetOf(write: (db: SqliteDatabase) => void): Promise<Uint8Array> {
  const db = SqliteDatabase.openInMemory(await loadSqlite());
  for (const ddl of schema.tables.get('todos')!.createSql()) db.exec(ddl);
  db.run(`INSERT INTO todos (id, text, completed) VALUES ('a', 'first', 0)`);
  const rec = db.startSession(['todos']);
  write(db);
  const cs = rec.changeset()!;
  rec.close();
  return cs;
}

describe('store following a leader rebase', () => {
  let store: Store<typeof schema> | undefined;
  afterEach(async () => { await store?.shutdown(); store = undefined; });

  it('applies a net changeset that fits, under its unsent commits, and refreshes queries', async () => {
    const { adapter, inject, resyncs } = injectable();
    const errors: LsError[] = [];
    store = await createStorePromise({ schema, storeId: `rebase-${++n}`, adapter, onError: (e) => errors.push(e) });
    store.commit(events.todoCreated({ id: 'a', text: 'first' }));
    await store.flush();
    const seen: unknown[] = [];
    store.subscribe(tables.todos.orderBy('id', 'asc'), (rows) => seen.push(rows));
    const changes = await changesetOf((db) => db.run(`UPDATE todos SET text = 'theirs' WHERE id = 'a'`));
    inject({ _tag: 'rebase', changes, base: 1, head: 1, epoch: 1 });
    expect(store.query(tables.todos.orderBy('id', 'asc')).map((r) => r.text)).to.deep.equal(['theirs']);
    expect(seen.length).to.equal(2);
    expect(store._dev.syncStates().session.rebases).to.deep.equal({ byChanges: 1, byImage: 0 });
    expect(resyncs()).to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('asks for the image when the changes do not fit its copy, and ends equal to the leader', async () => {
    const { adapter, inject, resyncs } = injectable();
    const errors: LsError[] = [];
    store = await createStorePromise({ schema, storeId: `rebase-${++n}`, adapter, onError: (e) => errors.push(e) });
    store.commit(events.todoCreated({ id: 'a', text: 'first' }));
    await store.flush();
    // The first change fits (first → x) and makes this copy drift from the leader's, which never
    // made it; the second expects 'first' again and does not fit.
    const drift = await changesetOf((db) => db.run(`UPDATE todos SET text = 'x' WHERE id = 'a'`));
    const changes = await changesetOf((db) => db.run(`UPDATE todos SET text = 'elsewhere' WHERE id = 'a'`));
    inject({ _tag: 'rebase', changes: drift, base: 1, head: 1, epoch: 1 });
    inject({ _tag: 'rebase', changes, base: 1, head: 1, epoch: 2 });
    expect(resyncs()).to.equal(1);
    // The leader never saw those changes: its image has 'first', and so does the tab now.
    expect(store.query(tables.todos.orderBy('id', 'asc')).map((r) => r.text)).to.deep.equal(['first']);
    expect(store._dev.syncStates().session.rebases).to.deep.equal({ byChanges: 1, byImage: 1 });
    expect(errors).to.deep.equal([]);
  });
});
