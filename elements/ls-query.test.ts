// <ls-query>: queries from sql + params or a query property, rendered with a declarative
// template or a Lit render function, keyed, and visible to plain JS through rows and ls-change.
import { expect } from 'chai';
import { html } from 'lit';
import { computed, queryDb } from '../src/index.ts';
import './index.ts'; // registers the elements: the type-only import below is erased
import type { LsQuery, LsStore } from './index.ts';
import { events, schema, tables } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, nextEvent, settle, uniqueStoreId } from '../test/fixtures/mount.ts';

async function setup(inner: string): Promise<{ store: LsStore; query: LsQuery }> {
  const host = mount(`<ls-store store-id="${uniqueStoreId('q')}">${inner}</ls-store>`);
  const store = host.querySelector('ls-store')!;
  store.schema = schema;
  await store.ready;
  const query = host.querySelector('ls-query')!;
  await query.updateComplete;
  return { store, query };
}

const todoList = `<ls-query sql="SELECT id, text FROM todos WHERE completed = ? ORDER BY id" params="[0]">
  <template><li data-id="{{row.id}}">{{row.text}}</li></template>
</ls-query>`;

const items = (q: LsQuery): HTMLLIElement[] => [...q.querySelectorAll('li')];

describe('<ls-query>', () => {
  afterEach(cleanup);

  it('renders the rows of sql + params with its template', async () => {
    const { store, query } = await setup(todoList);
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    store.commit('v1.TodoCreated', { id: 'b', text: 'B' });
    store.commit('v1.TodoCompleted', { id: 'b' });
    await query.updateComplete;
    expect(items(query).map((li) => [li.dataset['id'], li.textContent])).to.deep.equal([['a', 'A']]);
  });

  it('updates when a commit changes its result', async () => {
    const { store, query } = await setup(todoList);
    expect(items(query)).to.have.length(0);
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    await query.updateComplete;
    expect(items(query).map((li) => li.textContent)).to.deep.equal(['A']);
  });

  it('keeps the DOM nodes of unchanged rows and updates a changed row in place', async () => {
    const { store, query } = await setup(`<ls-query sql="SELECT id, text, completed FROM todos ORDER BY id">
      <template><li ?data-done="{{row.completed}}">{{row.text}}</li></template></ls-query>`);
    for (const id of ['a', 'b', 'c']) store.commit('v1.TodoCreated', { id, text: id.toUpperCase() });
    await query.updateComplete;
    const [a, b, c] = items(query);
    store.commit('v1.TodoCompleted', { id: 'b' });
    store.commit('v1.TodoCreated', { id: 'd', text: 'D' });
    await query.updateComplete;
    const after = items(query);
    expect(after.slice(0, 3)).to.deep.equal([a, b, c]);
    expect(after[0]).to.equal(a);
    expect(after[1]).to.equal(b);
    expect(b!.hasAttribute('data-done')).to.equal(true);
    expect(after[3]!.textContent).to.equal('D');
  });

  it('moves rows instead of re-creating them when the order changes, and removes gone rows', async () => {
    const { store, query } = await setup(`<ls-query sql="SELECT id, text FROM todos WHERE deletedAt IS NULL ORDER BY text">
      <template><li>{{row.text}}</li></template></ls-query>`);
    store.commit('v1.TodoCreated', { id: '1', text: 'b' });
    store.commit('v1.TodoCreated', { id: '2', text: 'c' });
    store.commit('v1.TodoCreated', { id: '3', text: 'a' });
    await query.updateComplete;
    const [a, b, c] = items(query);
    store.commit('v1.TodoDeleted', { id: '1', deletedAt: new Date() });
    await query.updateComplete;
    expect(items(query)).to.deep.equal([a, c]);
    expect(items(query)[0]).to.equal(a);
    expect(items(query)[1]).to.equal(c);
    expect(b!.isConnected).to.equal(false);
  });

  it('renders data as text, never as HTML, in text and attribute bindings', async () => {
    const { store, query } = await setup(`<ls-query sql="SELECT id, text FROM todos">
      <template><li title="{{row.text}}">{{row.text}}</li></template></ls-query>`);
    const attack = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    store.commit('v1.TodoCreated', { id: 'x', text: attack });
    await query.updateComplete;
    await settle();
    const [li] = items(query);
    expect(li!.textContent).to.equal(attack);
    expect(li!.getAttribute('title')).to.equal(attack);
    expect(query.querySelector('img, b')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('exposes rows and fires ls-change after rendering each new result', async () => {
    const { store, query } = await setup(todoList);
    const changed = nextEvent<{ rows: unknown }>(query, 'ls-change');
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    const event = await changed;
    expect(event.detail.rows).to.deep.equal([{ id: 'a', text: 'A' }]);
    expect(query.rows).to.equal(event.detail.rows);
    expect(items(query)).to.have.length(1);
  });

  it('runs a query property (queryDb) and renders it with a Lit render function, keyed', async () => {
    const { store, query } = await setup('<ls-query></ls-query>');
    query.query = queryDb(tables.todos.orderBy('id', 'asc'), { label: 'all todos' });
    query.render = (todo: { id: string; text: string; completed: boolean }) => html`<p class=${todo.completed ? 'done' : ''}>${todo.text}</p>`;
    store.commit('v1.TodoCreated', { id: 'a', text: '<i>A</i>' });
    store.commit('v1.TodoCreated', { id: 'b', text: 'B' });
    await query.updateComplete;
    const [pa, pb] = [...query.querySelectorAll('p')];
    expect(pa!.textContent).to.equal('<i>A</i>');
    store.commit('v1.TodoCompleted', { id: 'b' });
    await query.updateComplete;
    const after = [...query.querySelectorAll('p')];
    expect(after[0]).to.equal(pa);
    expect(after[1]).to.equal(pb);
    expect(pb!.className).to.equal('done');
  });

  it('renders a result that is not a list (a count) once', async () => {
    const { store, query } = await setup('<ls-query><template><output>{{row}} open</output></template></ls-query>');
    query.query = queryDb(tables.todos.count().where({ completed: false }), { label: 'open count' });
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    store.commit('v1.TodoCreated', { id: 'b', text: 'B' });
    await query.updateComplete;
    expect(query.rows).to.equal(2);
    expect([...query.querySelectorAll('output')].map((o) => o.textContent)).to.deep.equal(['2 open']);
  });

  it('is loading while its store opens, then ready with the first result', async () => {
    const host = mount(`<ls-store store-id="${uniqueStoreId('load')}"><ls-query sql="SELECT count(*) AS n FROM todos"></ls-query></ls-store>`);
    const query = host.querySelector('ls-query')!;
    await query.updateComplete;
    expect(query.getAttribute('state')).to.equal('loading');
    expect(query.rows).to.equal(undefined);
    host.querySelector('ls-store')!.schema = schema;
    await host.querySelector('ls-store')!.ready;
    await query.updateComplete;
    expect(query.getAttribute('state')).to.equal('ready');
    expect(query.rows).to.deep.equal([{ n: 0 }]);
  });

  it('binds params as values: SQL in them matches nothing and changes nothing', async () => {
    const { store, query } = await setup(`<ls-query sql="SELECT id, text FROM todos WHERE id = ? ORDER BY id" params="[0]">
      <template><li>{{row.text}}</li></template></ls-query>`);
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    for (const attack of ["a' OR '1'='1", "a'; DROP TABLE todos; --", '1 OR 1=1', "') UNION SELECT name, sql FROM sqlite_master --"]) {
      query.setAttribute('params', JSON.stringify([attack]));
      await settle();
      await query.updateComplete;
      expect(query.rows, attack).to.deep.equal([]);
      expect(items(query), attack).to.have.length(0);
    }
    query.setAttribute('params', JSON.stringify(['a']));
    await settle();
    await query.updateComplete;
    expect(query.rows).to.deep.equal([{ id: 'a', text: 'A' }]);
    expect(store.store!.query(tables.todos.count())).to.equal(1); // the table is still there
  });

  it('reports params that are not JSON as ls-error LS_INVALID_ARGUMENT', async () => {
    const host = mount('<ls-query sql="SELECT 1" params="[oops"></ls-query>');
    const query = host.querySelector('ls-query')!;
    query.addEventListener('ls-error', (e) => e.preventDefault());
    await query.updateComplete;
    expect(query.error?.code).to.equal('LS_INVALID_ARGUMENT');
    await query.updateComplete;
    expect(query.getAttribute('state')).to.equal('error');
  });

  it('reports SQL that fails as an ls-error with an LS_ code', async () => {
    const { query } = await setup('<ls-query></ls-query>');
    query.addEventListener('ls-error', (e) => e.preventDefault());
    const failed = nextEvent<{ code: string }>(query, 'ls-error');
    query.sql = 'SELECT * FROM no_such_table';
    expect((await failed).detail.code).to.match(/^LS_/);
  });

  it('stops listening when removed from the document', async () => {
    const { store, query } = await setup('<ls-query></ls-query>');
    let runs = 0;
    const count$ = queryDb(tables.todos.count(), { label: 'count for leak test' });
    query.query = computed((get) => {
      runs++;
      return get(count$);
    });
    await query.updateComplete;
    store.commit('v1.TodoCreated', { id: 'a', text: 'A' });
    const before = runs;
    query.remove();
    store.commit('v1.TodoCreated', { id: 'b', text: 'B' });
    await settle();
    expect(runs).to.equal(before);
    expect(query.rows).to.equal(1);
  });

  it('tells which row an event target belongs to, for event delegation', async () => {
    const { store, query } = await setup('<ls-query sql="SELECT id, text FROM todos"><template><li><button>{{row.text}}</button></li></template></ls-query>');
    store.store!.commit(events.todoCreated({ id: 'a', text: 'A' }));
    await query.updateComplete;
    expect(query.rowFor(query.querySelector('button'))).to.deep.equal({ id: 'a', text: 'A' });
    expect(query.rowFor(document.body)).to.equal(undefined);
  });
});
