// <ls-store>: opening from attributes or properties, providing the store, closing, errors.
import { expect } from 'chai';
import { LitElement } from 'lit';
import { ContextConsumer } from '@lit/context';
import { createStorePromise, isLsError, type Store } from '../src/index.ts';
import { storeContext, type LsStore } from './index.ts';
import { events, schema, tables } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, nextEvent, settle, uniqueStoreId } from '../test/fixtures/mount.ts';

class StoreProbe extends LitElement {
  readonly consumer = new ContextConsumer(this, { context: storeContext, subscribe: true });
}
customElements.define('store-probe', StoreProbe);

function storeElement(html: string): LsStore {
  return mount(html).querySelector('ls-store')!;
}

describe('<ls-store>', () => {
  afterEach(cleanup);

  it('opens a store from the schema property and store-id, and announces it with ready and ls-ready', async () => {
    const id = uniqueStoreId('open');
    const el = storeElement(`<ls-store store-id="${id}"></ls-store>`);
    const announced = nextEvent<{ store: Store }>(el, 'ls-ready');
    el.schema = schema;
    const store = await el.ready;
    expect(store.storeId).to.equal(id);
    expect((await announced).detail.store).to.equal(store);
    expect(el.store).to.equal(store);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('ready');
  });

  it('provides the store to descendants through the Lit context', async () => {
    const el = storeElement(`<ls-store store-id="${uniqueStoreId('ctx')}"><div><store-probe></store-probe></div></ls-store>`);
    const probe = el.querySelector('store-probe') as StoreProbe;
    expect(probe.consumer.value).to.equal(undefined);
    el.schema = schema;
    const store = await el.ready;
    expect(probe.consumer.value).to.equal(store);
  });

  it('imports the schema from a module URL given as the schema attribute', async () => {
    const el = storeElement(`<ls-store store-id="${uniqueStoreId('url')}" schema="/test/fixtures/todo-schema.ts"></ls-store>`);
    const store = await el.ready;
    store.commit(events.todoCreated({ id: 'a', text: 'from url' }));
    expect(store.query(tables.todos.select('text'))).to.deep.equal(['from url']);
  });

  it('opens persisted storage through the web adapter for a schema module URL', async () => {
    const el = storeElement(`<ls-store store-id="${uniqueStoreId('opfs')}" schema="/test/fixtures/todo-schema.ts" reset-persistence></ls-store>`);
    const store = await el.ready;
    expect(store.storage.storage).to.equal('opfs');
    store.commit(events.todoCreated({ id: 'p', text: 'persisted' }));
    await store.flush();
    expect(store.query(tables.todos.count())).to.equal(1);
  });

  it('shuts its store down when removed from the document, and ready waits for the next one', async () => {
    const el = storeElement(`<ls-store store-id="${uniqueStoreId('close')}"></ls-store>`);
    el.schema = schema;
    const store = await el.ready;
    el.remove();
    await settle();
    expect(store.isShutdown).to.equal(true);
    expect(el.store).to.equal(undefined);
    expect(el.getAttribute('state')).to.equal('closed');
    document.body.append(el);
    const reopened = await el.ready;
    expect(reopened).to.not.equal(store);
    expect(reopened.isShutdown).to.equal(false);
    el.remove();
  });

  it('keeps the store open when it is moved within the document', async () => {
    const host = mount(`<ls-store store-id="${uniqueStoreId('move')}"></ls-store><section></section>`);
    const el = host.querySelector('ls-store')!;
    el.schema = schema;
    const store = await el.ready;
    host.querySelector('section')!.append(el);
    await settle();
    expect(store.isShutdown).to.equal(false);
    expect(el.store).to.equal(store);
  });

  it('provides a store handed in through the store property and never shuts it down', async () => {
    const store = await createStorePromise({ schema, storeId: uniqueStoreId('given') });
    const el = storeElement('<ls-store><store-probe></store-probe></ls-store>');
    el.store = store;
    expect(await el.ready).to.equal(store);
    expect((el.querySelector('store-probe') as StoreProbe).consumer.value).to.equal(store);
    el.remove();
    await settle();
    expect(store.isShutdown).to.equal(false);
    await store.shutdown();
  });

  it('reports a schema URL that does not export a schema as ls-error LS_INVALID_SCHEMA and rejects ready', async () => {
    const el = document.createElement('ls-store');
    el.setAttribute('schema', '/test/fixtures/mount.ts');
    el.addEventListener('ls-error', (e) => e.preventDefault()); // handled: no console.error
    const failed = nextEvent<{ code: string }>(el, 'ls-error');
    mount('').append(el);
    expect((await failed).detail.code).to.equal('LS_INVALID_SCHEMA');
    let rejected: unknown;
    await el.ready.catch((err: unknown) => (rejected = err));
    expect(isLsError(rejected, 'LS_INVALID_SCHEMA')).to.equal(true);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
  });

  it('reopens when store-id changes, closing the previous store', async () => {
    const el = storeElement(`<ls-store store-id="${uniqueStoreId('a')}"></ls-store>`);
    el.schema = schema;
    const first = await el.ready;
    const id = uniqueStoreId('b');
    el.setAttribute('store-id', id);
    await el.updateComplete;
    const second = await el.ready;
    expect(second.storeId).to.equal(id);
    await settle();
    expect(first.isShutdown).to.equal(true);
  });
});
