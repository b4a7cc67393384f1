// QueryController in a user's own Lit element: store from <ls-store>, updates, cleanup.
import { expect } from 'chai';
import { LitElement, html } from 'lit';
import { computed, createStorePromise, queryDb } from '../src/index.ts';
import { QueryController, type LsStore } from './index.ts';
import { schema, tables, events } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, settle, uniqueStoreId } from '../test/fixtures/mount.ts';

const openCount$ = queryDb(tables.todos.count().where({ completed: false }), { label: 'open count (controller test)' });

class OpenCount extends LitElement {
  readonly open = new QueryController(this, openCount$);
  override render() {
    return html`<span>${this.open.value ?? '…'} left</span>`;
  }
}
customElements.define('open-count', OpenCount);

async function setup(): Promise<{ el: LsStore; counter: OpenCount }> {
  const host = mount(`<ls-store store-id="${uniqueStoreId('ctl')}"><open-count></open-count></ls-store>`);
  const el = host.querySelector('ls-store')!;
  const counter = host.querySelector('open-count') as OpenCount;
  el.schema = schema;
  await el.ready;
  await counter.updateComplete;
  return { el, counter };
}

describe('QueryController', () => {
  afterEach(cleanup);

  it('waits for the nearest <ls-store>, then renders the query result in the host', async () => {
    const host = mount(`<ls-store store-id="${uniqueStoreId('ctl')}"><open-count></open-count></ls-store>`);
    const counter = host.querySelector('open-count') as OpenCount;
    await counter.updateComplete;
    expect(counter.open.status).to.equal('loading');
    expect(counter.shadowRoot!.textContent).to.equal('… left');
    const el = host.querySelector('ls-store')!;
    el.schema = schema;
    await el.ready;
    await counter.updateComplete;
    expect(counter.open.status).to.equal('ready');
    expect(counter.shadowRoot!.textContent).to.equal('0 left');
  });

  it('re-renders the host after a commit changes the result', async () => {
    const { el, counter } = await setup();
    el.store!.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCreated({ id: 'b', text: 'B' }));
    await counter.updateComplete;
    expect(counter.shadowRoot!.textContent).to.equal('2 left');
  });

  it('resubscribes when given another query', async () => {
    const { el, counter } = await setup();
    el.store!.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCompleted({ id: 'a' }));
    counter.open.query = queryDb(tables.todos.count().where({ completed: true }), { label: 'done count' });
    await counter.updateComplete;
    expect(counter.open.value).to.equal(1);
  });

  it('uses an explicitly given store without any <ls-store>', async () => {
    const store = await createStorePromise({ schema, storeId: uniqueStoreId('explicit') });
    class Explicit extends LitElement {
      readonly q = new QueryController(this, openCount$, { store });
    }
    customElements.define('explicit-count', Explicit);
    const el = mount('<explicit-count></explicit-count>').querySelector('explicit-count') as Explicit;
    store.commit(events.todoCreated({ id: 'a', text: 'A' }));
    await el.updateComplete;
    expect(el.q.value).to.equal(1);
    el.remove();
    await store.shutdown();
  });

  it('unsubscribes when the host is disconnected, so the query no longer runs', async () => {
    const { el, counter } = await setup();
    let runs = 0;
    const count$ = queryDb(tables.todos.count(), { label: 'count (controller leak test)' });
    counter.open.query = computed((get) => {
      runs++;
      return get(count$);
    }) as never;
    el.store!.commit(events.todoCreated({ id: 'a', text: 'A' }));
    const before = runs;
    expect(before).to.be.greaterThan(0);
    counter.remove();
    el.store!.commit(events.todoCreated({ id: 'b', text: 'B' }));
    await settle();
    expect(runs).to.equal(before);
  });
});
