// Bad input: every failure is an LsError with a stable code, and a failed commit leaves nothing behind.
import { expect } from 'chai';
import { createStorePromise, Events, makeSchema, queryDb, Schema, State, isLsError } from '../index.ts';
import type { LsErrorCode } from '../index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let n = 0;
const open = () => createStorePromise({ schema, storeId: `store-errors-${++n}`, onError: () => {} });

function codeOf(fn: () => unknown): LsErrorCode | 'no error' | 'not an LsError' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return isLsError(err) ? err.code : 'not an LsError';
  }
}

const boom = Events.synced({ name: 'boom', schema: Schema.Struct({ id: Schema.String }) });
const badSql = Events.synced({ name: 'badSql', schema: Schema.Struct({ id: Schema.String }) });
const items = State.SQLite.table({ name: 'items', columns: { id: State.SQLite.text({ primaryKey: true }) } });
const added = Events.synced({ name: 'added', schema: Schema.Struct({ id: Schema.String }) });
const failingSchema = makeSchema({
  events: { boom, badSql, added },
  state: State.SQLite.makeState({
    tables: { items },
    materializers: State.SQLite.materializers({ boom, badSql, added }, {
      added: ({ id }) => items.insert({ id }),
      boom: () => {
        throw new Error('materializer exploded');
      },
      badSql: ({ id }) => ({ sql: 'INSERT INTO no_such_table (id) VALUES (?)', bindValues: [id] }),
    }),
  }),
});

describe('store errors', () => {
  it('rejects an unknown event with LS_UNKNOWN_EVENT and names the known ones', async () => {
    const store = await open();
    let message = '';
    try {
      store.commit({ name: 'v1.Nope', args: {} } as never);
    } catch (err) {
      expect(isLsError(err, 'LS_UNKNOWN_EVENT')).to.equal(true);
      message = (err as Error).message;
    }
    expect(message).to.contain('v1.TodoCreated');
    await store.shutdown();
  });

  it('rejects args that fail the schema with LS_INVALID_EVENT_ARGS, naming the field', async () => {
    const store = await open();
    expect(codeOf(() => events.todoCreated({ id: 1 as never, text: 'x' }))).to.be.oneOf(['LS_INVALID_EVENT_ARGS', 'no error']);
    let err: unknown;
    try {
      store.commit({ name: 'v1.TodoCreated', args: { id: 1, text: 'x' } } as never);
    } catch (e) {
      err = e;
    }
    expect(isLsError(err, 'LS_INVALID_EVENT_ARGS')).to.equal(true);
    expect((err as Error).message).to.match(/id/);
    expect(store.query(tables.todos)).to.deep.equal([]);
    await store.shutdown();
  });

  it('rejects args too large for one sync message with LS_EVENT_TOO_LARGE and keeps the rest of the commit out', async () => {
    const store = await open();
    const huge = 'é'.repeat(200 * 1024); // 400 KiB of UTF-8 in 200 Ki characters
    const code = codeOf(() => store.commit(events.todoCreated({ id: 'ok', text: 'fits' }), events.todoCreated({ id: 'big', text: huge })));
    expect(code).to.equal('LS_EVENT_TOO_LARGE');
    expect(store.query(tables.todos)).to.deep.equal([]);
    store.commit(events.todoCreated({ id: 'edge', text: 'x'.repeat(200 * 1024) }));
    expect(store.query(tables.todos.count())).to.equal(1);
    await store.shutdown();
  });

  it('a commit of several events with one bad event commits none of them', async () => {
    const store = await open();
    const seen: number[] = [];
    store.subscribe(queryDb(tables.todos.count()), (c) => seen.push(c));
    const code = codeOf(() => store.commit(
      events.todoCreated({ id: 'a', text: 'A' }),
      { name: 'v1.TodoCreated', args: { id: 'b' } } as never,
    ));
    expect(code).to.equal('LS_INVALID_EVENT_ARGS');
    expect(store.query(tables.todos)).to.deep.equal([]);
    expect(seen).to.deep.equal([0]);
    await store.flush();
    expect(store._dev.syncStates().session.localHead).to.equal(0);
    await store.shutdown();
  });

  it('a materializer that throws fails the commit with LS_MATERIALIZER_FAILED and writes nothing', async () => {
    const store = await createStorePromise({ schema: failingSchema, storeId: `store-errors-${++n}`, onError: () => {} });
    store.commit(added({ id: 'kept' }));
    expect(codeOf(() => store.commit(added({ id: 'x' }), boom({ id: 'y' })))).to.equal('LS_MATERIALIZER_FAILED');
    expect(store.query(items.orderBy('id', 'asc')).map((r) => r.id)).to.deep.equal(['kept']);
    await store.flush();
    const leaderDb = await store._dev.downloadEventlogDb({ save: false });
    expect(leaderDb.byteLength).to.be.greaterThan(0);
    expect(store._dev.syncStates().session).to.deep.equal({ upstreamHead: 1, localHead: 1, pending: 0, rebases: { byChanges: 0, byImage: 0 } });
    // the next commit is numbered right after the last good one
    const [next] = store.commit(added({ id: 'after' }));
    expect(next!.seqNum).to.equal(2);
    await store.shutdown();
  });

  it('an SQL error inside a materializer fails the commit with a typed error and the SQL', async () => {
    const store = await createStorePromise({ schema: failingSchema, storeId: `store-errors-${++n}`, onError: () => {} });
    let err: unknown;
    try {
      store.commit(badSql({ id: 'q' }));
    } catch (e) {
      err = e;
    }
    expect(isLsError(err, 'LS_MATERIALIZER_FAILED')).to.equal(true);
    expect((err as Error).message).to.contain('no such table');
    expect(store.query(items)).to.deep.equal([]);
    await store.shutdown();
  });

  it('a query with bad SQL throws LS_SQLITE_ERROR and the store keeps working', async () => {
    const store = await open();
    expect(codeOf(() => store.query('SELECT * FROM nowhere'))).to.equal('LS_SQLITE_ERROR');
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    expect(store.query(tables.todos.count())).to.equal(1);
    await store.shutdown();
  });

  it('everything on a shut-down store throws LS_STORE_SHUTDOWN', async () => {
    const store = await open();
    await store.shutdown();
    expect(codeOf(() => store.query(tables.todos))).to.equal('LS_STORE_SHUTDOWN');
    expect(codeOf(() => store.commit(events.todoCreated({ id: 'a', text: 'A' })))).to.equal('LS_STORE_SHUTDOWN');
    expect(codeOf(() => store.subscribe(tables.todos, () => {}))).to.equal('LS_STORE_SHUTDOWN');
    expect(store.isShutdown).to.equal(true);
  });

  it('rejects a bad storeId, a missing schema and an empty commit with clear codes', async () => {
    let code: unknown;
    try {
      await createStorePromise({ schema, storeId: 'no spaces allowed' });
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    expect(code).to.equal('LS_INVALID_ARGUMENT');
    try {
      await createStorePromise({ schema: {} as never });
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    expect(code).to.equal('LS_INVALID_SCHEMA');
    const store = await open();
    expect(codeOf(() => store.commit())).to.equal('LS_INVALID_ARGUMENT');
    await store.shutdown();
  });

  it('treats SQL in query-builder values and event args as data, never as SQL', async () => {
    const store = await open();
    const evil = "x'); DROP TABLE todos; --";
    store.commit(events.todoCreated({ id: evil, text: `"; DELETE FROM todos; --` }));
    expect(store.query(tables.todos.where({ text: "' OR 1=1 --" }))).to.deep.equal([]);
    expect(store.query(tables.todos.where({ id: evil }).first())?.text).to.equal(`"; DELETE FROM todos; --`);
    expect(store.query(tables.todos.count())).to.equal(1);
    // column names are checked against the table, not spliced into SQL
    expect(codeOf(() => store.query(tables.todos.where({ ['id = id OR 1']: 1 } as never)))).to.equal('LS_INVALID_QUERY');
    await store.shutdown();
  });
});
