// Two clients (two stores with their own in-memory leaders and client ids) syncing through the
// real sync server (scripts/wtr-sync-server.mjs): concurrent commits rebase and converge to one
// order, a conflict hook can drop, and a server crash mid-sync loses nothing acknowledged.
import { expect } from 'chai';
import { createStorePromise, makeInMemoryAdapter } from '../index.ts';
import type { OnConflict, Store } from '../index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let serverUrl = '';
let n = 0;
const stores: Store<typeof schema>[] = [];

before(async () => {
  serverUrl = ((await (await fetch('/__sync/url')).json()) as { url: string }).url;
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function client(storeId: string, name: string, onConflict?: OnConflict): Promise<Store<typeof schema>> {
  const store = await createStorePromise({
    schema, storeId, clientId: name, onError: () => {},
    adapter: makeInMemoryAdapter({ sync: { url: serverUrl, backoff: { initialMs: 20, maxMs: 200 }, ...(onConflict === undefined ? {} : { onConflict }) } }),
  });
  stores.push(store);
  return store;
}

const ids = async (s: Store<typeof schema>): Promise<string[]> => (await s._dev.eventlog()).filter((e) => !e.clientOnly).map((e) => e.id);
const todos = (s: Store<typeof schema>) => s.query(tables.todos.orderBy('id', 'asc'));

async function until(fn: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${what}`);
}

describe('sync between two clients', () => {
  it('converges concurrent commits of both clients to one eventlog and one state', async () => {
    const storeId = `sync-${++n}-${Date.now().toString(36)}`;
    const a = await client(storeId, 'A');
    const b = await client(storeId, 'B');
    for (let i = 0; i < 5; i++) {
      a.commit(events.todoCreated({ id: `a${i}`, text: `from A ${i}` }));
      b.commit(events.todoCreated({ id: `b${i}`, text: `from B ${i}` }));
    }
    await Promise.all([a.flush({ upstream: true }), b.flush({ upstream: true })]);
    await until(async () => (await ids(a)).length === 10 && (await ids(b)).length === 10, 'both hold 10 events');
    expect(await ids(a)).to.deep.equal(await ids(b));
    expect(todos(a)).to.deep.equal(todos(b));
    expect(todos(a)).to.have.length(10);
    expect((await a._dev.eventlog()).map((e) => e.status)).to.deep.equal(Array(10).fill('confirmed'));
    expect(a.syncStatus.phase).to.equal('synced');
    expect(a.syncStatus.pending).to.equal(0);
  });

  it('applies the other client\'s events in server order even when they touch the same row', async () => {
    const storeId = `sync-${++n}-${Date.now().toString(36)}`;
    const a = await client(storeId, 'A');
    const b = await client(storeId, 'B');
    a.commit(events.todoCreated({ id: 'x', text: 'shared' }));
    await a.flush({ upstream: true });
    await until(() => todos(b).length === 1, 'b sees x');
    a.commit(events.todoCompleted({ id: 'x' }));
    b.commit(events.todoUncompleted({ id: 'x' }));
    await Promise.all([a.flush({ upstream: true }), b.flush({ upstream: true })]);
    await until(async () => (await ids(a)).length === 3 && (await ids(b)).length === 3, 'both hold 3 events');
    expect(await ids(a)).to.deep.equal(await ids(b));
    expect(todos(a)).to.deep.equal(todos(b)); // the later event in the server's order wins
  });

  it('lets a conflict hook drop pending events that meet others\' events', async () => {
    const storeId = `sync-${++n}-${Date.now().toString(36)}`;
    const a = await client(storeId, 'A');
    a.commit(events.todoCreated({ id: 'first', text: 'A was first' }));
    await a.flush({ upstream: true });
    const dropAll: OnConflict = (c) => c.pending.map(() => ({ drop: true }));
    const b = await client(storeId, 'B', dropAll);
    b.commit(events.todoCreated({ id: 'late', text: 'B committed before hearing of A' }));
    await until(async () => (await ids(b)).includes('first') || todos(b).length === 1, 'b hears of A');
    await b.flush();
    await until(async () => JSON.stringify(await ids(b)) === JSON.stringify(await ids(a)), 'b agrees with a');
  });

  it('keeps going when another client\'s event fails to materialize here: the event stays in the log, the store keeps working', async () => {
    const storeId = `sync-${++n}-${Date.now().toString(36)}`;
    const a = await client(storeId, 'A');
    const b = await client(storeId, 'B');
    // Both create todo 'x' before hearing of each other: in the server's order the second insert
    // hits the primary key, on both clients.
    a.commit(events.todoCreated({ id: 'x', text: 'by A' }));
    b.commit(events.todoCreated({ id: 'x', text: 'by B' }));
    await Promise.all([a.flush({ upstream: true }), b.flush({ upstream: true })]);
    await until(async () => (await ids(a)).length === 2 && (await ids(b)).length === 2, 'both hold both events');
    expect(await ids(a)).to.deep.equal(await ids(b));
    expect(todos(a)).to.deep.equal(todos(b));
    expect(todos(a)).to.have.length(1);
    a.commit(events.todoCreated({ id: 'y', text: 'still working' }));
    await a.flush({ upstream: true });
    await until(() => todos(b).length === 2, 'b gets the next event');
  });

  it('shows events as pending in the eventlog until a server confirms them', async () => {
    const store = await createStorePromise({
      schema, storeId: `sync-${++n}-${Date.now().toString(36)}`, clientId: 'lonely', onError: () => {},
      adapter: makeInMemoryAdapter({ sync: { url: 'ws://127.0.0.1:9', backoff: { initialMs: 1000, maxMs: 5000 } } }),
    });
    stores.push(store);
    store.commit(events.todoCreated({ id: 'p', text: 'not confirmed' }));
    await store.flush();
    expect((await store._dev.eventlog()).map((e) => e.status)).to.deep.equal(['pending']);
    expect(store.syncStatus.pending).to.equal(1);
  });

  it('loses nothing acknowledged when the server is killed mid-sync, and both clients resume by themselves', async () => {
    const storeId = `sync-${++n}-${Date.now().toString(36)}`;
    const a = await client(storeId, 'A');
    const b = await client(storeId, 'B');
    for (let i = 0; i < 5; i++) a.commit(events.todoCreated({ id: `pre${i}`, text: 'before' }));
    await a.flush({ upstream: true });
    const restart = fetch('/__sync/restart', { method: 'POST' });
    for (let i = 0; i < 5; i++) b.commit(events.todoCreated({ id: `during${i}`, text: 'during' }));
    await restart;
    for (let i = 0; i < 5; i++) a.commit(events.todoCreated({ id: `post${i}`, text: 'after' }));
    await Promise.all([a.flush({ upstream: true }), b.flush({ upstream: true })]);
    await until(async () => (await ids(a)).length === 15 && (await ids(b)).length === 15, 'both hold 15 events');
    expect(await ids(a)).to.deep.equal(await ids(b));
    expect(new Set(await ids(a)).size).to.equal(15);
    expect(todos(a)).to.deep.equal(todos(b));
  });
});
