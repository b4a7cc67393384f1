// <ls-devtools> on a real store (in-memory adapter, real SQLite): each panel shows real data
// and follows commits; closed, it subscribes to nothing.
import { expect } from 'chai';
import { createStorePromise, queryDb, signal } from '../../src/index.ts';
import type { Store } from '../../src/index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';
import { loadDevtools } from './load-devtools.ts';
import type { LsDevtools } from './ls-devtools.ts';

let n = 0;
let store: Store<typeof schema>;
let el: LsDevtools;

const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
async function until(fn: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (fn()) return;
    await frame();
  }
  throw new Error(`timed out: ${what}`);
}
const text = (sel: string): string => [...el.shadowRoot!.querySelectorAll(sel)].map((e) => e.textContent ?? '').join('|');
const ownQueries = (): number => store._dev.liveQueries().filter((q) => q.label.startsWith('ls-devtools')).length;

beforeEach(async () => {
  await loadDevtools();
  store = await createStorePromise({ schema, storeId: `devtools-${++n}-${Date.now().toString(36)}`, onError: () => {} });
  el = document.createElement('ls-devtools');
  el.store = store;
  document.body.append(el);
  await el.updateComplete;
});
afterEach(async () => {
  el.remove();
  await store.shutdown();
});

async function openPanel(panel: LsDevtools['panel']): Promise<void> {
  el.open = true;
  el.panel = panel;
  await el.updateComplete;
  await frame();
  await el.updateComplete;
}

describe('<ls-devtools>', () => {
  it('subscribes to nothing while closed, and stops when closed again', async () => {
    expect(ownQueries()).to.equal(0);
    await openPanel('data');
    expect(store._dev.liveQueries().filter((q) => q.label.startsWith('ls-devtools') && q.subscribers > 0)).to.have.length(1);
    el.open = false;
    await el.updateComplete;
    expect(store._dev.liveQueries().filter((q) => q.label.startsWith('ls-devtools') && q.subscribers > 0)).to.have.length(0);
  });

  it('shows the rows of a table, live, as text, and pages through them', async () => {
    store.commit(events.todoCreated({ id: 'x1', text: '<img src=x onerror="window.__pwned=1">' }));
    await openPanel('data');
    expect(text('td')).to.contain('<img src=x onerror');
    expect(el.shadowRoot!.querySelector('td img')).to.equal(null);
    store.commit(...Array.from({ length: 60 }, (_, i) => events.todoCreated({ id: `t${String(i).padStart(2, '0')}`, text: `todo ${i}` })));
    await until(() => text('.range').includes('of 61'), 'the data panel follows the commit');
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(50);
    (el.shadowRoot!.querySelectorAll('.pager button')[1] as HTMLButtonElement).click();
    await el.updateComplete;
    expect(text('.range')).to.equal('51–61 of 61');
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(11);
  });

  it('shows the eventlog with seq numbers, names and args, filters by name, and follows commits', async () => {
    store.commit(events.todoCreated({ id: 'a', text: 'first' }), events.todoCompleted({ id: 'a' }));
    await store.flush();
    await openPanel('eventlog');
    await until(() => el.shadowRoot!.querySelectorAll('table.eventlog tbody tr').length === 2, 'two events shown');
    expect(text('table.eventlog td')).to.contain('v1.TodoCompleted');
    expect(text('table.eventlog td')).to.contain('"text":"first"');
    store.commit(events.todoCreated({ id: 'b', text: 'second' }));
    await store.flush();
    await until(() => el.shadowRoot!.querySelectorAll('table.eventlog tbody tr').length === 3, 'the new event appears');
    const filter = el.shadowRoot!.querySelector('input.filter') as HTMLInputElement;
    filter.value = 'completed';
    filter.dispatchEvent(new Event('input'));
    await until(() => el.shadowRoot!.querySelectorAll('table.eventlog tbody tr').length === 1, 'the filter keeps one event');
  });

  it('shows sync heads, pending count and storage, updated by commits', async () => {
    await openPanel('sync');
    expect(text('dd[data-key="storage"]')).to.contain('memory');
    expect(text('dd[data-key="sync"]')).to.contain('local only');
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    await store.flush();
    await until(() => text('dd[data-key="tab head"]') === '1', 'the tab head follows the commit');
  });

  it('lists live queries with their SQL and tables, and signals with their values', async () => {
    const count = signal(3, { label: 'pageSize' });
    store.subscribe(queryDb(tables.todos.where({ completed: false }), { label: 'openTodos' }), () => {});
    store.subscribe(count, () => {});
    await openPanel('queries');
    expect(text('table.queries td')).to.contain('openTodos');
    expect(text('table.queries td')).to.contain('todos');
    expect(text('table.queries td')).not.to.contain('ls-devtools');
    expect(text('table.values td')).to.contain('pageSize');
    store.setSignal(count, 7);
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    await until(() => text('table.values td').includes('7'), 'the signal value follows');
  });

  it('runs read-only SQL in the playground and shows a write as a coded error', async () => {
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    await openPanel('sql');
    const area = el.shadowRoot!.querySelector('textarea.sql') as HTMLTextAreaElement;
    const run = el.shadowRoot!.querySelector('button.run') as HTMLButtonElement;
    area.value = 'SELECT id, text FROM todos';
    run.click();
    await el.updateComplete;
    expect(text('td')).to.equal('a|A');
    area.value = 'DELETE FROM todos';
    run.click();
    await el.updateComplete;
    expect(text('.error')).to.contain('LS_SQLITE_ERROR');
    expect(store.query(tables.todos.count())).to.equal(1);
  });
});
