// LiveStore's todo example, with its documented queries, signals, computed and subscriptions.
import { expect } from 'chai';
import { computed, createStorePromise, queryDb, signal, sql, Schema } from '../index.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let n = 0;
const open = () => createStorePromise({ schema, storeId: `todo-example-${++n}` });

describe('the LiveStore todo example', () => {
  it('commits events and queries the materialized rows with inferred types', async () => {
    const store = await open();
    store.commit(events.todoCreated({ id: 't1', text: 'Buy milk' }), events.todoCreated({ id: 't2', text: 'Walk dog' }));
    store.commit(events.todoCompleted({ id: 't1' }));
    const todos = store.query(tables.todos.where({ completed: false }));
    expect(todos.map((t) => t.text)).to.deep.equal(['Walk dog']);
    const all = store.query(tables.todos.orderBy('id', 'asc'));
    expect(all).to.deep.equal([
      { id: 't1', text: 'Buy milk', completed: true, deletedAt: null },
      { id: 't2', text: 'Walk dog', completed: false, deletedAt: null },
    ]);
    await store.shutdown();
  });

  it('decodes dates and filters by them', async () => {
    const store = await open();
    const when = new Date('2026-01-02T03:04:05.000Z');
    store.commit(events.todoCreated({ id: 'a', text: 'x' }), events.todoDeleted({ id: 'a', deletedAt: when }));
    const row = store.query(tables.todos.where({ id: 'a' }).first());
    expect(row?.deletedAt).to.be.instanceOf(Date);
    expect(row?.deletedAt?.getTime()).to.equal(when.getTime());
    expect(store.query(tables.todos.where({ deletedAt: null }))).to.deep.equal([]);
    await store.shutdown();
  });

  it('keeps a client document per session and sets it partially', async () => {
    const store = await open();
    expect(store.query(tables.uiState.get())).to.deep.equal({ newTodoText: '', filter: 'all' });
    store.commit(events.uiStateSet({ filter: 'completed' }));
    expect(store.query(tables.uiState.get())).to.deep.equal({ newTodoText: '', filter: 'completed' });
    store.commit(events.uiStateSet({ newTodoText: 'hi' }));
    expect(store.query(tables.uiState.get())).to.deep.equal({ newTodoText: 'hi', filter: 'completed' });
    await store.shutdown();
  });

  it('runs a queryDb that depends on another query, and re-runs it when the filter changes', async () => {
    const store = await open();
    const uiState$ = queryDb(tables.uiState.get(), { label: 'uiState' });
    const visibleTodos$ = queryDb(
      (get) => {
        const { filter } = get(uiState$);
        return tables.todos.where({ deletedAt: null, completed: filter === 'all' ? undefined : filter === 'completed' });
      },
      { label: 'visibleTodos' },
    );
    store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }), events.todoCompleted({ id: 'b' }));
    const seen: string[][] = [];
    const off = store.subscribe(visibleTodos$, (todos) => seen.push(todos.map((t) => t.id)));
    store.commit(events.uiStateSet({ filter: 'completed' }));
    store.commit(events.uiStateSet({ filter: 'active' }));
    off();
    store.commit(events.uiStateSet({ filter: 'all' }));
    expect(seen).to.deep.equal([['a', 'b'], ['b'], ['a']]);
    await store.shutdown();
  });

  it('calls subscribers only when their result changed, once per commit', async () => {
    const store = await open();
    const open$ = queryDb(tables.todos.count().where({ completed: false }), { label: 'openCount' });
    const counts: number[] = [];
    store.subscribe(open$, (c) => counts.push(c));
    store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }));
    store.commit(events.uiStateSet({ newTodoText: 'typing' })); // other table: no re-run, no call
    store.commit(events.todoDeleted({ id: 'a', deletedAt: new Date() })); // same count: no call
    store.commit(events.todoCompleted({ id: 'a' }));
    expect(counts).to.deep.equal([0, 2, 1]);
    await store.shutdown();
  });

  it('honours skipInitialRun and unsubscribe', async () => {
    const store = await open();
    const calls: number[] = [];
    const off = store.subscribe(queryDb(tables.todos.count()), { onUpdate: (c) => calls.push(c), skipInitialRun: true });
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    off();
    store.commit(events.todoCreated({ id: 'b', text: 'B' }));
    expect(calls).to.deep.equal([1]);
    await store.shutdown();
  });

  it('combines signals, computed and queries glitch-free', async () => {
    const store = await open();
    const now$ = signal(1000, { label: 'now$' });
    const limit$ = signal(1, { label: 'limit$' });
    const todos$ = queryDb((get) => tables.todos.orderBy('id', 'asc').limit(get(limit$)), { label: 'todos' });
    const summary$ = computed((get) => `${get(todos$).map((t) => t.id).join(',')}@${get(now$)}`, { label: 'summary' });
    store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }));
    const seen: string[] = [];
    store.subscribe(summary$, (s) => seen.push(s));
    store.setSignal(limit$, 2);
    store.setSignal(now$, (prev) => prev + 1);
    expect(seen).to.deep.equal(['a@1000', 'a,b@1000', 'a,b@1001']);
    expect(store.query(summary$)).to.equal('a,b@1001');
    await store.shutdown();
  });

  it('accepts raw SQL with a result schema, and the sql tag', async () => {
    const store = await open();
    store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }), events.todoCompleted({ id: 'a' }));
    const done$ = queryDb({
      query: sql`SELECT id FROM todos WHERE completed = ${1}`.sql,
      bindValues: [1],
      schema: Schema.Array(Schema.Struct({ id: Schema.String })),
    });
    expect(store.query(done$)).to.deep.equal([{ id: 'a' }]);
    const rows = store.query(sql`SELECT count(*) AS n FROM todos WHERE text = ${'B'}`);
    expect(rows).to.deep.equal([{ n: 1 }]);
    const seen: number[] = [];
    store.subscribe(done$, (r) => seen.push(r.length));
    store.commit(events.todoCompleted({ id: 'b' }));
    expect(seen).to.deep.equal([1, 2]);
    await store.shutdown();
  });

  it('gives every committed event its identity, numbers and origin', async () => {
    const store = await open();
    const before = Date.now();
    const [a, b] = store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }));
    expect(a!.id).to.be.a('string').with.length.greaterThanOrEqual(10);
    expect(a!.id).to.not.equal(b!.id);
    expect([a!.parentSeqNum, a!.seqNum, b!.parentSeqNum, b!.seqNum]).to.deep.equal([0, 1, 1, 2]);
    expect(a!.clientId).to.equal(store.clientId);
    expect(a!.sessionId).to.equal(store.sessionId);
    expect(a!.createdAt).to.be.within(before, Date.now());
    // pending (with their changesets kept) until the leader has them
    expect(store._dev.syncStates().session).to.deep.equal({ upstreamHead: 0, localHead: 2, pending: 2, rebases: { byChanges: 0, byImage: 0 } });
    await store.flush();
    expect(store._dev.syncStates().session).to.deep.equal({ upstreamHead: 2, localHead: 2, pending: 0, rebases: { byChanges: 0, byImage: 0 } });
    // the eventlog lives with the leader, not in the session's state database
    const eventlog = SqliteDatabase.openInMemory(await loadSqlite());
    eventlog.deserialize(await store._dev.downloadEventlogDb({ save: false }));
    expect(eventlog.all('SELECT seq, parent_seq, id, name FROM __ls_eventlog ORDER BY seq')).to.deep.equal([
      { seq: 1, parent_seq: 0, id: a!.id, name: 'v1.TodoCreated' },
      { seq: 2, parent_seq: 1, id: b!.id, name: 'v1.TodoCreated' },
    ]);
    await store.shutdown();
  });

  it('shares one live query between definitions with the same label and deps', async () => {
    const store = await open();
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    const byId = (id: string, label = 'todoById') => queryDb(tables.todos.where({ id }).first(), { label, deps: [id] });
    const costOfCommit = (): number => {
      const before = store._dev.sqliteStats().statementsRun;
      store.commit(events.todoUncompleted({ id: 'a' }), events.todoCompleted({ id: 'a' }));
      return store._dev.sqliteStats().statementsRun - before;
    };
    const offs = [store.subscribe(byId('a'), () => {})];
    const one = costOfCommit();
    offs.push(store.subscribe(byId('a'), () => {})); // a new definition of the same query: no new node
    const shared = costOfCommit();
    offs.push(store.subscribe(byId('a', 'otherLabel'), () => {})); // a different query: one more re-run
    const distinct = costOfCommit();
    expect(shared).to.equal(one);
    expect(distinct).to.equal(one + 1);
    for (const off of offs) off();
    await store.shutdown();
  });
});
