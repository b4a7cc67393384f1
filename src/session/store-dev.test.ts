// store._dev for devtools: live queries with their costs, reactive values, read-only SQL, the
// eventlog, and importing an exported eventlog into a fresh store.
import { expect } from 'chai';
import { computed, createStorePromise, queryDb, signal } from '../index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let n = 0;
const open = (storeId = `store-dev-${++n}-${Date.now().toString(36)}`) => createStorePromise({ schema, storeId, onError: () => {} });

describe('store._dev', () => {
  it('lists live queries with label, SQL, tables read, result size and run count', async () => {
    const store = await open();
    const open$ = queryDb(tables.todos.where({ completed: false }), { label: 'openTodos' });
    const unsubscribe = store.subscribe(open$, () => {});
    store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }));
    const q = store._dev.liveQueries().find((x) => x.label === 'openTodos');
    expect(q?.tables).to.deep.equal(['todos']);
    expect(q?.sql).to.match(/SELECT/i);
    expect(q?.resultSize).to.equal(2);
    expect(q?.runs).to.equal(2);
    expect(q?.subscribers).to.equal(1);
    expect(q?.lastRunMs).to.be.a('number');
    unsubscribe();
    await store.shutdown();
  });

  it('lists signals and computed values with their current value', async () => {
    const store = await open();
    const count = signal(2, { label: 'count' });
    const double = computed((get) => get(count) * 2, { label: 'double' });
    store.subscribe(double, () => {});
    store.setSignal(count, 5);
    const values = store._dev.reactiveValues();
    expect(values.find((v) => v.label === 'count')).to.deep.equal({ kind: 'signal', label: 'count', value: 5 });
    expect(values.find((v) => v.label === 'double')).to.deep.equal({ kind: 'computed', label: 'double', value: 10 });
    await store.shutdown();
  });

  it('runs read-only SQL and refuses writes with LS_SQLITE_ERROR, leaving the data as it was', async () => {
    const store = await open();
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    expect(store._dev.runReadOnly('SELECT id FROM todos')).to.deep.equal([{ id: 'a' }]);
    expect(() => store._dev.runReadOnly('DELETE FROM todos')).to.throw().with.property('code', 'LS_SQLITE_ERROR');
    expect(store.query(tables.todos.count())).to.equal(1);
    store.commit(events.todoCreated({ id: 'b', text: 'B' })); // writes still work afterwards
    expect(store.query(tables.todos.count())).to.equal(2);
    await store.shutdown();
  });

  it('reads the leader\'s eventlog and imports an exported one into a fresh store with the same ids', async () => {
    const store = await open();
    const committed = store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCompleted({ id: 'a' }));
    await store.flush();
    const log = await store._dev.eventlog();
    expect(log.map((e) => [e.seqNum, e.name, e.id])).to.deep.equal(committed.map((e, i) => [i + 1, e.name, e.id]));
    expect(log.map((e) => e.status)).to.deep.equal(['local', 'local']); // no sync: nothing to confirm
    const bytes = await store._dev.downloadEventlogDb({ save: false });
    const fresh = await open();
    expect(await fresh._dev.importEventlog(bytes)).to.deep.equal({ imported: 2, skipped: 0 });
    expect(fresh.query(tables.todos)).to.deep.equal(store.query(tables.todos));
    expect((await fresh._dev.eventlog()).map((e) => e.id)).to.deep.equal(committed.map((e) => e.id));
    const err = await store._dev.importEventlog(bytes).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'LS_INVALID_ARGUMENT');
    const junk = await (await open())._dev.importEventlog(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(junk).to.have.property('code', 'LS_INVALID_ARGUMENT');
    await Promise.all([store.shutdown(), fresh.shutdown()]);
  });
});
