// Materializer forms and the query builder against real SQLite, through a store.
import { expect } from 'chai';
import { createStorePromise, Events, makeSchema, Schema, State, sql } from '../index.ts';

const items = State.SQLite.table({
  name: 'items',
  columns: {
    id: State.SQLite.text({ primaryKey: true }),
    label: State.SQLite.text({ default: '' }),
    qty: State.SQLite.integer({ default: 0 }),
    price: State.SQLite.real({ nullable: true }),
    meta: State.SQLite.json({ schema: Schema.Struct({ tags: Schema.Array(Schema.String) }), default: { tags: [] } }),
  },
  indexes: [{ name: 'items_label', columns: ['label'] }],
});
const audit = State.SQLite.table({
  name: 'audit',
  columns: { seq: State.SQLite.integer({ primaryKey: true }), what: State.SQLite.text() },
});

const ev = {
  upserted: Events.synced({ name: 'upserted', schema: Schema.Struct({ id: Schema.String, label: Schema.String, qty: Schema.Number }) }),
  bumpedAll: Events.synced({ name: 'bumpedAll', schema: Schema.Struct({ by: Schema.Number }) }),
  removedEmpty: Events.synced({ name: 'removedEmpty', schema: Schema.Struct({}) }),
  tagged: Events.synced({ name: 'tagged', schema: Schema.Struct({ id: Schema.String, tags: Schema.Array(Schema.String) }) }),
  noted: Events.clientOnly({ name: 'noted', schema: Schema.Struct({ text: Schema.String }) }),
  ignored: Events.synced({ name: 'ignored', schema: Schema.Struct({}) }),
};

const state = State.SQLite.makeState({
  tables: { items, audit },
  materializers: State.SQLite.materializers(ev, {
    // a write op with onConflict update
    upserted: ({ id, label, qty }) => items.insert({ id, label, qty }).onConflict('id', 'update', { label, qty }),
    // an array of ops, one raw SQL; ctx.query sees earlier writes of this transaction
    bumpedAll: ({ by }, ctx) => {
      const before = ctx.query(items.count());
      return [
        { sql: 'UPDATE items SET qty = qty + ?', bindValues: [by] },
        audit.insert({ seq: ctx.event.seqNum, what: `bumped ${before} items by ${by}` }),
      ];
    },
    removedEmpty: () => items.delete().where('qty', '<=', 0),
    tagged: ({ id, tags }) => items.update({ meta: { tags } }).where({ id }),
    noted: ({ text }, ctx) => audit.insert({ seq: 1000 + ctx.event.seqNum, what: `note: ${text}` }),
    // void: an event that changes nothing
    ignored: () => undefined,
  }),
});
const schema = makeSchema({ events: ev, state });
let n = 0;

describe('materializers and the query builder on SQLite', () => {
  it('upserts with onConflict, runs arrays and raw SQL, and deletes with where(column, op, value)', async () => {
    const store = await createStorePromise({ schema, storeId: `materializers-${++n}` });
    store.commit(ev.upserted({ id: 'a', label: 'apple', qty: 1 }), ev.upserted({ id: 'b', label: 'banana', qty: 0 }));
    store.commit(ev.upserted({ id: 'a', label: 'Apple', qty: 5 }));
    expect(store.query(items.select('id', 'label', 'qty').orderBy('id', 'asc'))).to.deep.equal([
      { id: 'a', label: 'Apple', qty: 5 },
      { id: 'b', label: 'banana', qty: 0 },
    ]);
    const [bump] = store.commit(ev.bumpedAll({ by: -1 }));
    expect(store.query(audit.where({ seq: bump!.seqNum }).first())?.what).to.equal('bumped 2 items by -1');
    store.commit(ev.removedEmpty({}));
    expect(store.query(items.select('id'))).to.deep.equal(['a']);
    await store.shutdown();
  });

  it('stores and decodes JSON columns, and reads with limit, offset, orderBy desc and first fallback', async () => {
    const store = await createStorePromise({ schema, storeId: `materializers-${++n}` });
    for (const id of ['a', 'b', 'c', 'd']) store.commit(ev.upserted({ id, label: id.toUpperCase(), qty: 1 }));
    store.commit(ev.tagged({ id: 'c', tags: ['x', 'y'] }));
    expect(store.query(items.where({ id: 'c' }).first())?.meta).to.deep.equal({ tags: ['x', 'y'] });
    expect(store.query(items.select('id').orderBy('id', 'desc').limit(2).offset(1))).to.deep.equal(['c', 'b']);
    expect(store.query(items.where({ id: 'zzz' }).first({ fallback: () => null }))).to.equal(null);
    expect(store.query(items.where('label', 'IN', ['A', 'D']).count())).to.equal(2);
    await store.shutdown();
  });

  it('materializes clientOnly events in this session and accepts a void materializer', async () => {
    const store = await createStorePromise({ schema, storeId: `materializers-${++n}` });
    const [note] = store.commit(ev.noted({ text: 'hello' }));
    store.commit(ev.ignored({}));
    expect(store.query(audit.where({ seq: 1000 + note!.seqNum }).first())?.what).to.equal('note: hello');
    expect(store.query(sql`SELECT count(*) AS n FROM items`)).to.deep.equal([{ n: 0 }]);
    await store.shutdown();
  });

  it('creates the declared indexes', async () => {
    const store = await createStorePromise({ schema, storeId: `materializers-${++n}` });
    const rows = store.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'items' AND name = 'items_label'");
    expect(rows).to.deep.equal([{ name: 'items_label' }]);
    await store.shutdown();
  });
});
